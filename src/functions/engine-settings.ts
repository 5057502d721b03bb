/**
 * The engine's own app settings (environment variables), validated once. All optional: the defaults suit Azure.
 * Locally, `npm start` and the tests shorten the waits to match the ARM simulator's faster clock.
 */
import { z } from 'zod';
import { MigratorError } from '../domain/errors.js';
import { DEFAULT_TIMING, type EngineTiming } from '../orchestrations/engine-contract.js';

export class InvalidEngineSettingsError extends MigratorError {
  readonly code = 'InvalidEngineSettings';
  constructor(problems: readonly string[]) {
    super(`The engine settings are invalid: ${problems.join('; ')}. Fix them in the app settings (local.settings.json locally).`, false, { details: { problems } });
  }
}

const seconds = (max: number) => z.coerce.number().min(0.001).max(max);

const EngineSettingsSchema = z.object({
  MIGRATOR_VERIFY_POLL_SECONDS: seconds(600).optional(),
  MIGRATOR_RETRY_FIRST_SECONDS: seconds(600).optional(),
  MIGRATOR_RETRY_MAX_SECONDS: seconds(3600).optional(),
  MIGRATOR_RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).optional(),
  /** ARM long-running operations are polled this often (ms); the SDK's default (Retry-After, else 2 s) when absent. */
  MIGRATOR_LRO_POLL_MS: z.coerce.number().int().min(1).max(60_000).optional(),
  /** Plan groups per fleet generation before continueAsNew (bounds history); lower it only to test. */
  MIGRATOR_GROUPS_PER_GENERATION: z.coerce.number().int().min(1).max(1000).optional(),
  MIGRATOR_PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** host:port that app and Kudu host names are reached at instead of DNS (private DNS zones, the local simulator). */
  APP_ENDPOINT_ADDRESS: z.string().regex(/^[\w.-]+:\d{1,5}$|^\[[\da-f:]+\]:\d{1,5}$/i, 'must be host:port').optional(),
});

export interface EngineSettings {
  readonly timing: Omit<EngineTiming, 'verifyTimeoutSeconds'>;
  readonly lroPollIntervalInMs?: number;
  readonly probeTimeoutInMs: number;
  readonly appEndpointAddress?: string;
  readonly groupsPerGeneration?: number;
}

export function readEngineSettings(env: Readonly<Record<string, string | undefined>> = process.env): EngineSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EngineSettingsSchema.safeParse(present);
  if (!parsed.success) throw new InvalidEngineSettingsError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  const s = parsed.data;
  return {
    timing: {
      verifyPollSeconds: s.MIGRATOR_VERIFY_POLL_SECONDS ?? DEFAULT_TIMING.verifyPollSeconds,
      retryFirstSeconds: s.MIGRATOR_RETRY_FIRST_SECONDS ?? DEFAULT_TIMING.retryFirstSeconds,
      retryBackoffCoefficient: DEFAULT_TIMING.retryBackoffCoefficient,
      retryMaxSeconds: s.MIGRATOR_RETRY_MAX_SECONDS ?? DEFAULT_TIMING.retryMaxSeconds,
      retryMaxAttempts: s.MIGRATOR_RETRY_MAX_ATTEMPTS ?? DEFAULT_TIMING.retryMaxAttempts,
    },
    ...(s.MIGRATOR_LRO_POLL_MS === undefined ? {} : { lroPollIntervalInMs: s.MIGRATOR_LRO_POLL_MS }),
    probeTimeoutInMs: s.MIGRATOR_PROBE_TIMEOUT_MS,
    ...(s.APP_ENDPOINT_ADDRESS === undefined ? {} : { appEndpointAddress: s.APP_ENDPOINT_ADDRESS }),
    ...(s.MIGRATOR_GROUPS_PER_GENERATION === undefined ? {} : { groupsPerGeneration: s.MIGRATOR_GROUPS_PER_GENERATION }),
  };
}
