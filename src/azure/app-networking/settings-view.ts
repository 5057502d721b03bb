import { LEGACY_ROUTING_SETTINGS, type LegacyRoutingSettingName } from '../../domain/routing.js';

/** What of an app's settings may leave memory: every NAME, and the values of the three legacy routing switches only. */
export interface SettingsView {
  readonly names: readonly string[];
  readonly legacyRoutingSettings: Readonly<Partial<Record<LegacyRoutingSettingName, string>>>;
}

/** The canonical legacy name a setting name stands for (App Service matches them case-insensitively), if any. */
export function legacyNameOf(name: string): LegacyRoutingSettingName | undefined {
  return LEGACY_ROUTING_SETTINGS.find((legacy) => legacy.toLowerCase() === name.toLowerCase());
}

/** Reduces settings WITH values to what may be kept: sorted names and the legacy values. */
export function settingsView(settings: Readonly<Record<string, string>>): SettingsView {
  const legacyRoutingSettings: Partial<Record<LegacyRoutingSettingName, string>> = {};
  for (const [name, value] of Object.entries(settings)) {
    const legacy = legacyNameOf(name);
    if (legacy !== undefined) legacyRoutingSettings[legacy] = value;
  }
  return { names: Object.keys(settings).sort((a, b) => a.localeCompare(b, 'en')), legacyRoutingSettings };
}
