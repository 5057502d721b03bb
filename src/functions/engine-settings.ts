/**
 * The engine's own app settings (environment variables), validated once. All optional: the defaults suit Azure.
 * Locally, `npm start` and the tests shorten the waits to match the ARM simulator's faster clock.
 */
import { z } from 'zod';
import { MigratorError } from '../domain/errors.js';
import { webhookUrlProblem } from '../domain/webhook-url.js';
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
  /** Every migration's webhook events also go here (its query string may hold a secret: it is never shown). */
  MIGRATOR_WEBHOOK_URL: z
    .string()
    .max(2048)
    .refine((url) => webhookUrlProblem(url) === undefined, 'must be an absolute http or https URL without a #fragment')
    .optional(),
  MIGRATOR_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  APP_ENDPOINT_ADDRESS: z.string().regex(/^[\w.-]+:\d{1,5}$|^\[[\da-f:]+\]:\d{1,5}$/i, 'must be host:port').optional(),
});

export interface EngineSettings {
  readonly timing: Omit<EngineTiming, 'verifyTimeoutSeconds'>;
  readonly lroPollIntervalInMs?: number;
  readonly probeTimeoutInMs: number;
  readonly appEndpointAddress?: string;
  readonly groupsPerGeneration?: number;
  readonly webhookUrl?: string;
  readonly webhookTimeoutInMs: number;
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
    ...(s.MIGRATOR_WEBHOOK_URL === undefined ? {} : { webhookUrl: s.MIGRATOR_WEBHOOK_URL }),
    webhookTimeoutInMs: s.MIGRATOR_WEBHOOK_TIMEOUT_MS,
  };
}

/** Every five minutes: a batch starts at most that long after its window opens. */
export const DEFAULT_BATCH_SCHEDULE = '0 */5 * * * *';

/**
 * The batch timer's NCRONTAB schedule (MIGRATOR_BATCH_SCHEDULE), read when the functions are registered: six fields
 * (second minute hour day month day-of-week) or a TimeSpan hh:mm:ss, as the Functions host accepts.
 */
export function readBatchSchedule(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const value = env['MIGRATOR_BATCH_SCHEDULE']?.trim();
  if (!value) return DEFAULT_BATCH_SCHEDULE;
  if (value.split(/\s+/).length === 6 || /^(\d+\.)?\d{1,2}:\d{2}:\d{2}$/.test(value)) return value;
  throw new InvalidEngineSettingsError([`MIGRATOR_BATCH_SCHEDULE '${value}' must be an NCRONTAB expression of 6 fields (e.g. '${DEFAULT_BATCH_SCHEDULE}') or a TimeSpan hh:mm:ss`]);
}
