/**
 * The zod schema of a Scenario (tools/arm-simulator/src/contract.ts), so scenario files are checked before a world is seeded
 * and a typo surfaces as a path-qualified message instead of a half-built world.
 */
import { z } from 'zod';
import type { FaultKind, Scenario } from '../contract.js';
import { ScenarioError } from './errors.js';

const distribution = z.union([
  z.number().nonnegative(),
  z.strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() }).refine((d) => d.max >= d.min, 'max must be at least min'),
  z.strictObject({ mean: z.number().nonnegative(), stddev: z.number().nonnegative() }),
]);

const armId = z.string().regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/.+[^/]$/i, 'must be a full ARM resource id');

/** Every FaultKind of the contract, as a value: the admin API and scenario files accept exactly these. */
export const FAULT_KINDS = [
  'http500', 'http503', 'http503-retry-after', 'http500-retry-after', 'http429', 'reset', 'hang', 'another-operation', 'permanent', 'gateway-html',
  'applied-then-504', 'applied-then-reset',
] as const satisfies readonly FaultKind[];
// A kind added to the contract and not here fails the typecheck.
const everyFaultKindListed: Exclude<FaultKind, (typeof FAULT_KINDS)[number]> extends never ? true : never = true;
void everyFaultKindListed;

export const faultRuleSchema = z.strictObject({
  id: z.string().min(1).optional(),
  kind: z.enum(FAULT_KINDS),
  method: z.string().regex(/^(GET|PUT|PATCH|POST|DELETE|HEAD)$/i, 'must be an HTTP method').optional(),
  pathPattern: z.string().refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'must be a valid regular expression').optional(),
  count: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  clockFactor: z.number().positive().optional(),
  latency: z.strictObject({ default: distribution.optional(), perOperation: z.record(z.string(), distribution).optional() }).optional(),
  resources: z.array(z.strictObject({ id: armId, apiVersion: z.string().optional(), body: z.record(z.string(), z.unknown()) })),
  dependencies: z.array(z.strictObject({ appId: armId, target: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, "must be 'ip', 'ip:port', 'host' or 'host:port'"), description: z.string().optional() })).optional(),
  dns: z.record(z.string(), z.ipv4()).optional(),
  onPremises: z.array(z.strictObject({ name: z.string().min(1), gatewayId: armId, addressPrefixes: z.array(z.cidrv4()).min(1) })).optional(),
  faults: z.array(faultRuleSchema).optional(),
  rbac: z.strictObject({
    enabled: z.boolean(),
    roles: z.array(z.strictObject({ name: z.string().min(1), actions: z.array(z.string()), notActions: z.array(z.string()).optional() })),
    assignments: z.array(z.strictObject({ principalId: z.string().min(1), roleName: z.string().min(1), scope: z.string().regex(/^\//, "must start with '/'") })),
  }).optional(),
  restartDurationMs: z.number().nonnegative().optional(),
  longRunningOperationMs: z.number().nonnegative().optional(),
  subnetJoinLeaseMs: z.number().nonnegative().optional(),
  serviceAssociationLinkLingerMs: z.number().nonnegative().optional(),
  throttling: z.boolean().optional(),
});

// Compile-time proof that the schema produces exactly the contract's type.
const _parsedIsScenario = (s: z.infer<typeof scenarioSchema>): Scenario => s;
void _parsedIsScenario;

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc === '' ? String(part) : `${acc}.${String(part)}`), '') || '(root)';
}

/** Validates unknown JSON as a Scenario; throws ScenarioError (ScenarioInvalid) listing every 'path: problem'. */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  throw new ScenarioError('ScenarioInvalid', `${source} is not a valid scenario:\n  ${issues.join('\n  ')}`, false, issues);
}
