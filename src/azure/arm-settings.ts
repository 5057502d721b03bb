import { z } from 'zod';
import { MigratorError } from '../domain/errors.js';

/** Where ARM is and who the service is when it calls it. Read from app settings (environment variables). */
export interface ArmSettings {
  /** https://management.azure.com in Azure; the simulator's URL locally. */
  readonly endpoint: string;
  /** Set for a service principal with a secret; absent in Azure, where the managed identity is used. */
  readonly servicePrincipal?: {
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly authorityHost?: string;
  };
}

export class InvalidArmSettingsError extends MigratorError {
  readonly code = 'InvalidArmSettings';
  constructor(problems: readonly string[]) {
    super(`The ARM settings are invalid: ${problems.join('; ')}. Fix them in the app settings (local.settings.json locally).`, false, {
      details: { problems },
    });
  }
}

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL (the Azure SDK sends tokens over https only)' });

const SettingsSchema = z.object({
  ARM_ENDPOINT: httpsUrl.default('https://management.azure.com'),
  AZURE_TENANT_ID: z.string().optional(),
  AZURE_CLIENT_ID: z.string().optional(),
  AZURE_CLIENT_SECRET: z.string().optional(),
  AZURE_AUTHORITY_HOST: httpsUrl.optional(),
});

export function readArmSettings(env: Readonly<Record<string, string | undefined>> = process.env): ArmSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = SettingsSchema.safeParse(present);
  if (!parsed.success) throw new InvalidArmSettingsError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  const s = parsed.data;
  const endpoint = s.ARM_ENDPOINT.replace(/\/+$/, '');
  if (s.AZURE_CLIENT_SECRET === undefined) return { endpoint };
  const missing = (['AZURE_TENANT_ID', 'AZURE_CLIENT_ID'] as const).filter((key) => s[key] === undefined);
  if (missing.length > 0) throw new InvalidArmSettingsError(missing.map((key) => `${key} is required with AZURE_CLIENT_SECRET`));
  return {
    endpoint,
    servicePrincipal: {
      tenantId: s.AZURE_TENANT_ID!,
      clientId: s.AZURE_CLIENT_ID!,
      clientSecret: s.AZURE_CLIENT_SECRET,
      ...(s.AZURE_AUTHORITY_HOST === undefined ? {} : { authorityHost: s.AZURE_AUTHORITY_HOST }),
    },
  };
}
