/**
 * The shapes the API answers, as zod schemas: the OpenAPI document's response components are generated from
 * them, and tests validate real responses against that document. They describe what the handlers build (the views
 * in migration-views.ts, the planner's MigrationPlan); where a part is open-ended (an error's details, the
 * gateway report's note) it is a loose object rather than a guess.
 */
import { z } from 'zod';
import { APP_OUTCOMES, APP_PHASES, MIGRATION_STATUSES } from '../domain/migration-model.js';
import { MigrationRequestSchema, MigrationScopeSchema } from '../domain/migration-request.js';

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const facts = z.record(z.string(), z.unknown());

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
    retryable: z.boolean(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).max(20).optional(),
    errorCount: z.number().int().min(0).optional(),
    errorCountExact: z.boolean().optional(),
    details: facts.optional(),
  })
  .meta({ description: 'RFC 9457 problem details; `code` is stable, `errors` lists at most 20 field problems of `errorCount`.' });

export const HealthSchema = z.object({ status: z.literal('ok'), service: z.string() });

export const AcceptedSchema = z.object({ id: z.uuid(), statusUri: z.url() });
export const ControlAcceptedSchema = z.object({ id: z.uuid(), action: z.enum(['pause', 'resume', 'cancel']), statusUri: z.url() });

const ErrorRecordSchema = z.object({ code: z.string(), message: z.string(), retryable: z.boolean(), details: facts.optional() });

const SummarySchema = z.object({
  total: z.number().int(),
  succeeded: z.number().int(),
  rolledBack: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  pending: z.number().int(),
  inProgress: z.number().int(),
});

export const MigrationSchema = z.object({
  id: z.uuid(),
  status: z.enum(MIGRATION_STATUSES),
  control: z.enum(['run', 'pause', 'cancel']),
  createdTime: z.iso.datetime(),
  lastUpdatedTime: z.iso.datetime(),
  request: MigrationRequestSchema,
  summary: SummarySchema,
  plan: nullable(z.object({ groups: z.number().int(), migrate: z.number().int(), skip: z.number().int(), blocked: z.number().int() })),
  gatewayReport: nullable(z.looseObject({ gateways: z.array(z.looseObject({ gatewayId: z.string(), unused: z.boolean() })), unusedCount: z.number().int() })),
  breaker: nullable(z.object({ trippedTime: z.iso.datetime(), failures: z.number().int() })),
  /** Scheduled migrations (request.schedule): batches so far, apps queued, the batch running, the window open now or next. */
  schedule: nullable(
    z.object({
      state: z.enum(['waiting', 'in-batch', 'done']),
      batchSize: z.number().int(),
      batchesStarted: z.number().int(),
      queuedApps: z.number().int(),
      currentBatch: nullable(z.object({ number: z.number().int(), apps: z.number().int(), startedTime: z.iso.datetime(), closesTime: z.iso.datetime() })),
      nextWindow: nullable(z.object({ opensTime: z.iso.datetime(), closesTime: z.iso.datetime() })),
    }),
  ),
  error: nullable(ErrorRecordSchema),
  advice: z.unknown(),
  statusUri: z.url(),
  appsUri: z.url(),
});

const page = <T extends z.ZodType>(item: T) =>
  z.object({ value: z.array(item), continuationToken: nullable(z.string()), nextLink: nullable(z.url()) });

export const MigrationListSchema = page(MigrationSchema);

export const AppStatusSchema = z.object({
  appId: z.string(),
  planId: z.string(),
  phase: z.enum(APP_PHASES),
  outcome: z.enum(APP_OUTCOMES),
  reasonCode: nullable(z.string()),
  message: nullable(z.string()),
  subnetId: nullable(z.string()),
  downtimeSeconds: nullable(z.number()),
  startedTime: nullable(z.iso.datetime()),
  finishedTime: nullable(z.iso.datetime()),
  needsAttention: z.boolean(),
  difference: z.array(z.string()),
  latencyInMs: z.looseObject({ before: z.record(z.string(), z.number()).optional(), after: z.record(z.string(), z.number()).optional() }),
  advice: z.array(z.string()),
  strategy: nullable(z.enum(['direct', 'slots-first'])),
});

export const AppListSchema = page(AppStatusSchema);

export const AppHistorySchema = page(
  z.object({
    migrationId: z.string(),
    time: z.iso.datetime(),
    action: z.string(),
    outcome: z.enum(['applied', 'already-applied', 'failed']),
    message: nullable(z.string()),
    before: z.unknown(),
    after: z.unknown(),
  }),
).extend({ appId: z.string() });

const SitePropertiesSchema = z.union([
  z.object({ outboundVnetRouting: z.object({ applicationTraffic: z.boolean(), imagePullTraffic: z.boolean(), contentShareTraffic: z.boolean() }) }),
  z.object({ vnetRouteAllEnabled: z.boolean(), vnetImagePullEnabled: z.boolean(), vnetContentShareEnabled: z.boolean() }),
]);

const StepSchema = z.looseObject({
  kind: z.enum(['snapshot', 'ensure-subnet', 'apply-routing', 'disconnect-gateway', 'connect-regional', 'verify', 'remove-legacy-settings']),
});

export const PlanSchema = z.object({
  apiVersion: z.string(),
  groups: z.array(
    z.object({
      planId: z.string(),
      location: z.string(),
      sku: z.object({ name: z.string(), tier: z.string() }),
      subnets: z.array(
        z.object({
          vnetId: z.string(),
          subnetId: z.string(),
          name: z.string().regex(/^[A-Za-z0-9][\w.-]{0,78}[\w]$|^[A-Za-z0-9]$/),
          addressPrefix: nullable(z.string()),
          action: z.enum(['create', 'reuse']),
          sizing: z.object({ prefixLength: z.number().int(), addressesNeeded: z.number().int(), reasoning: z.array(z.string()) }),
          reason: z.string(),
        }),
      ),
      apps: z.array(
        z.object({
          appId: z.string(),
          reason: z.string(),
          strategy: z.enum(['direct', 'slots-first']),
          dependsOn: z.array(z.string()),
          gatewayVnetId: z.string(),
          targetVnetId: z.string(),
          subnetId: z.string(),
          routing: z.object({ siteProperties: SitePropertiesSchema, legacySettingsToRemove: z.array(z.string()), warnings: z.array(z.string()), reasons: z.array(z.string()) }),
          notes: z.array(z.string()),
          steps: z.array(StepSchema),
        }),
      ),
    }),
  ),
  skipped: z.array(z.object({ appId: z.string(), planId: z.string(), outcome: z.enum(['skip', 'blocked']), reason: z.string(), message: z.string(), details: facts })),
  summary: z.object({ migrate: z.number().int(), skip: z.number().int(), blocked: z.number().int() }),
});

export const DryRunSchema = z.object({
  dryRun: z.literal(true),
  scope: MigrationScopeSchema,
  discovered: z.looseObject({ apps: z.number().int(), plans: z.number().int(), virtualNetworks: z.number().int() }),
  plan: PlanSchema,
});
