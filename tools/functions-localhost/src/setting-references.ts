import { LocalHostError } from './errors.js';

/**
 * `%NAME%` references to app settings, as the Functions host resolves them in host.json and binding settings
 * (WebJobs' name resolver): every `%NAME%` in the text becomes the setting's value, so "%HUB%" and "prefix-%HUB%"
 * both work. A reference to a setting that is not set refuses the start rather than naming tables after the
 * literal text.
 */
export function resolveSettingReferences(text: string, where: string, settings: Readonly<Record<string, string | undefined>> = process.env): string {
  return text.replace(/%([^%\s]+)%/g, (_match, name: string) => {
    const value = settings[name];
    if (value === undefined) {
      throw new LocalHostError('InvalidSettings', `${where} is '${text}', but the app setting '${name}' is not set; add it to local.settings.json Values or the environment.`);
    }
    return value;
  });
}
