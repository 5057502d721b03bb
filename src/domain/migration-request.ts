/**
 * What a user asks for when they start a migration: which apps (a scope over ARM), how carefully (strategy,
 * parallelism, failure threshold) and how to check the result. Validated at the HTTP boundary; unknown fields are
 * refused so that a typo (`maxParalel`) is an error, not a silently ignored wish.
 */
import { z } from 'zod';
import { parseResourceId } from './resource-id.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ARM resource group names: 1-90 of letters, digits, '-', '_', '.', '(', ')'; not ending in '.'. */
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/u;

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

export const MigrationScopeSchema = z.strictObject({
  subscriptionIds: z.array(z.string().regex(GUID, 'must be a subscription GUID')).min(1).max(100),
  resourceGroups: z.array(z.string().regex(RESOURCE_GROUP, 'must be a resource group name')).max(1000).optional(),
  appIds: z.array(appId).max(10_000).optional(),
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

export const MigrationRequestSchema = z.strictObject({
  scope: MigrationScopeSchema,
  strategy: z.enum(['direct', 'slots-first']).optional(),
  /** Plan groups (one App Service plan each) moving at the same time. */
  maxParallel: z.number().int().min(1).max(100).default(4),
  /** Apps failed or rolled back (since the start or the last resume) that pause the fleet. */
  failureThreshold: z.number().int().min(1).max(10_000).default(5),
  dryRun: z.boolean().default(false),
  allowCrossRegion: z.boolean().default(false),
  verify: VerifyOptionsSchema.default({ healthPath: '/', timeoutSeconds: 300, dependencies: [] }),
});

export type MigrationScope = z.output<typeof MigrationScopeSchema>;
export type MigrationRequest = z.output<typeof MigrationRequestSchema>;
export type MigrationRequestInput = z.input<typeof MigrationRequestSchema>;
export type VerifyOptions = z.output<typeof VerifyOptionsSchema>;
