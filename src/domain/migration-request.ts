/**
 * What a user asks for when they start a migration: which apps (a scope over ARM), how carefully (strategy,
 * parallelism, failure threshold) and how to check the result. Validated at the HTTP boundary; unknown fields are
 * refused so that a typo (`maxParalel`) is an error, not a silently ignored wish.
 */
import { z } from 'zod';
import { isIanaTimeZone, minutesOfDay, WEEKDAYS } from './maintenance-window.js';
import { parseResourceId } from './resource-id.js';
import { webhookUrlProblem } from './webhook-url.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * ARM resource group names: 1-90 of letters and digits (Unicode ones too: ARM checks .NET's Char.IsLetterOrDigit,
 * so 'Produktion-Zürich' and '東京' are valid), '-', '_', '.', '(', ')'; not ending in '.'.
 */
const RESOURCE_GROUP = /^[\p{L}\p{Nd}_().-]{0,89}[\p{L}\p{Nd}_()-]$/u;

const appId = z
  .string()
  .max(1024)
  .superRefine((value, ctx) => {
    try {
      const parsed = parseResourceId(value);
      if (parsed.kind !== 'site' && parsed.kind !== 'slot') ctx.addIssue({ code: 'custom', message: `expected a site or slot id, got a ${parsed.kind} id` });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });

/** Characters of listed app ids (each counted with its quotes and comma) a request may carry. */
export const MAX_APP_ID_CHARACTERS = 300_000;

export const MigrationScopeSchema = z.strictObject({
  subscriptionIds: z.array(z.string().regex(GUID, 'must be a subscription GUID')).min(1).max(100),
  resourceGroups: z.array(z.string().regex(RESOURCE_GROUP, 'must be a resource group name')).max(1000).optional(),
  /**
   * The request is stored with the migration (one Table Storage row, ~480,000 characters of JSON), so the listed ids
   * together are capped well below that: about 2,000 typical ids. Larger selections go by resourceGroups or tags.
   */
  appIds: z
    .array(appId)
    .max(10_000)
    .refine((ids) => ids.reduce((n, id) => n + id.length + 3, 0) <= MAX_APP_ID_CHARACTERS, {
      message: `lists more app ids than a migration can store (at most ${MAX_APP_ID_CHARACTERS.toLocaleString('en-US')} characters of ids, about 2,000 ids): select by resourceGroups or tags instead`,
    })
    .optional(),
  /** Every tag listed must be on the site (a slot is matched by its site's tags as well as its own). */
  tags: z.record(z.string().min(1).max(512), z.string().max(256)).optional(),
});

export const VerifyOptionsSchema = z.strictObject({
  /** Path the app answers 200 on when healthy, e.g. /health. */
  healthPath: z.string().regex(/^\/[^\s?#]*$/, 'must be a path starting with /').max(512).default('/'),
  /** How long verification keeps trying after the regional join before the app is rolled back. */
  timeoutSeconds: z.number().int().min(10).max(3600).default(300),
  /** Extra dependencies ("host:port") checked with Kudu tcpping from every app, besides those its health page lists. */
  dependencies: z.array(z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port')).max(50).default([]),
});

const HH_MM = /^\d{2}:\d{2}$/;

/**
 * One weekly maintenance window in the operator's time zone; see maintenance-window.ts for what start and end mean
 * across midnight and daylight saving changes. `end` equal to `start` is refused: it is ambiguous (empty or a whole
 * day); a whole day is `00:00`-`24:00`.
 */
export const MaintenanceWindowSchema = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7).refine((days) => new Set(days).size === days.length, 'must not repeat a day'),
    start: z.string().regex(HH_MM, 'must be HH:MM').refine((t) => (minutesOfDay(t) ?? 1440) < 1440, 'must be a time 00:00-23:59'),
    end: z.string().regex(HH_MM, 'must be HH:MM').refine((t) => minutesOfDay(t) !== undefined, 'must be a time 00:00-24:00'),
    timeZone: z.string().max(64).refine(isIanaTimeZone, 'must be an IANA time zone name, e.g. Europe/Berlin'),
  })
  .refine((w) => w.start !== w.end, { message: 'start and end must differ (a whole day is 00:00-24:00)', path: ['end'] });

/** Scheduled migrations: the planned apps wait in a queue; a timer starts `batchSize` of them at a time, inside a window. */
export const MigrationScheduleSchema = z.strictObject({
  maintenanceWindows: z.array(MaintenanceWindowSchema).min(1).max(20),
  batchSize: z.number().int().min(1).max(10_000),
});

/** Where events of the migration are POSTed; the query string may carry a secret, so it is never shown back. */
const WebhookUrlSchema = z.string().max(2048).superRefine((value, ctx) => {
  const problem = webhookUrlProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

export const MigrationRequestSchema = z.strictObject({
  scope: MigrationScopeSchema,
  strategy: z.enum(['direct', 'slots-first']).optional(),
  /** Plan groups (one App Service plan each) moving at the same time. */
  maxParallel: z.number().int().min(1).max(100).default(4),
  /** Apps of one plan group in flight at once; their joins of the plan's subnet still go one at a time. */
  maxParallelPerPlan: z.number().int().min(1).max(50).default(4),
  /** Apps failed or rolled back (since the start or the last resume) that pause the fleet. */
  failureThreshold: z.number().int().min(1).max(10_000).default(5),
  dryRun: z.boolean().default(false),
  allowCrossRegion: z.boolean().default(false),
  verify: VerifyOptionsSchema.default({ healthPath: '/', timeoutSeconds: 300, dependencies: [] }),
  /** Absent: every planned app starts at once (through maxParallel). Present: batches inside maintenance windows. */
  schedule: MigrationScheduleSchema.optional(),
  /** Each gets a JSON event when a batch starts or ends, an app rolls back or fails, the breaker trips, and at the end. */
  webhookUrls: z.array(WebhookUrlSchema).max(5).optional(),
});

export type MigrationScope = z.output<typeof MigrationScopeSchema>;
export type MigrationRequest = z.output<typeof MigrationRequestSchema>;
export type MigrationRequestInput = z.input<typeof MigrationRequestSchema>;
export type VerifyOptions = z.output<typeof VerifyOptionsSchema>;
export type MigrationSchedule = z.output<typeof MigrationScheduleSchema>;
