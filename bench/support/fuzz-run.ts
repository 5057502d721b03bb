/**
 * Proof 8, bad input: fast-check drives every endpoint of the HTTP API (the OpenAPI document's paths, read from the
 * running host, plus the dashboard, its assets and the readiness report) with generated bodies, ids, query strings
 * and headers. Every answer must be 2xx, 3xx or 4xx, never 5xx, and come within a deadline (no hang). A request the
 * API rejects (4xx) must start nothing and write nothing: no ARM write reaches the simulator, no migration appears,
 * and no row of Table Storage (state and task hub) changes. The host's RSS is sampled along the way.
 *
 * The world is quiet while fuzzing: one small migration is run to its end first, so ids of a real migration and a
 * real app exist (pause/resume/cancel of a finished migration are rejected, 409); a request the API accepts that
 * starts a migration is waited out before the next run, so its writes are never blamed on a rejected request.
 */
import { TableServiceClient, TableClient } from '@azure/data-tables';
import fc from 'fast-check';
import { LEASE_PARTITION } from '@vnet-migrator/functions-localhost/durable/task-hub-lease.js';
import type { AuditEntry } from '@vnet-migrator/arm-simulator/audit-log.js';
import { subscriptionsOf, timedFleet } from './fleet.js';
import { CHAOS_TIMING } from './faults-run.js';
import { megabytes, peakRssBytes, rssBytes } from './process-memory.js';
import { allApps, FINAL_STATUSES, startMigration, startProofWorld, waitForMigration, type ProofWorld } from './proof-world.js';

export interface FuzzOptions {
  readonly runs: number;
  readonly seed?: number;
  /** A request not answered within this many ms is a hang. */
  readonly deadlineMs?: number;
}

export interface FuzzFinding {
  readonly kind: '5xx' | 'hang' | 'rejected-but-wrote' | 'transport';
  readonly request: string;
  readonly detail: string;
}

export interface FuzzResult {
  readonly runs: number;
  readonly seed: number;
  readonly endpoints: string[];
  /** Answers by status class and by status. */
  readonly statuses: Record<string, number>;
  readonly findings: FuzzFinding[];
  readonly accepted: number;
  readonly rejected: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly hostRssStartMb: number;
  readonly hostRssEndMb: number;
  readonly hostPeakRssMb: number;
  readonly wallSeconds: number;
}

interface Endpoint {
  readonly method: string;
  /** Route template relative to /api, e.g. /migrations/{id}/apps. */
  readonly route: string;
}

/** Routes outside the OpenAPI document (HTML and CSV answers). */
const EXTRA_ENDPOINTS: readonly Endpoint[] = [
  { method: 'GET', route: '/dashboard' },
  { method: 'GET', route: '/dashboard/assets/{name}' },
  { method: 'GET', route: '/report' },
  { method: 'POST', route: '/report' },
];

/** Methods no route has, and the wrong method for a real route. */
const STRAY_METHODS = ['PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

const describe = (r: FuzzRequest): string => `${r.method} ${r.path.slice(0, 300)} headers=${JSON.stringify(r.headers).slice(0, 300)} body=${(r.body ?? '').slice(0, 300)}${(r.body?.length ?? 0) > 300 ? `… (${r.body?.length} chars)` : ''}`;

/** What a rejected request must not change. */
interface Fingerprint {
  readonly armWrites: number;
  readonly tables: string;
}

const isArmWrite = (e: AuditEntry): boolean =>
  e.path.toLowerCase().startsWith('/subscriptions/') && (['PUT', 'PATCH', 'DELETE'].includes(e.method) || (e.method === 'POST' && !/\/list$/i.test(e.path)));

async function tableFingerprint(connectionString: string): Promise<string> {
  const service = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
  const parts: string[] = [];
  for await (const table of service.listTables()) {
    const name = table.name ?? '';
    const client = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    let rows = 0;
    let newest = '';
    for await (const entity of client.listEntities({ queryOptions: { select: ['PartitionKey', 'RowKey', 'Timestamp'] } })) {
      // The local Durable engine renews its task hub lease every few seconds, whatever the requests.
      if (entity.partitionKey === LEASE_PARTITION) continue;
      rows++;
      const stamp = String(entity.timestamp ?? '');
      if (stamp > newest) newest = stamp;
    }
    parts.push(`${name}:${rows}:${newest}`);
  }
  return parts.sort().join('|');
}

async function fingerprint(world: ProofWorld): Promise<Fingerprint> {
  return { armWrites: world.sim.audit.query().filter(isArmWrite).length, tables: await tableFingerprint(world.azurite.connectionString) };
}

function endpointsOf(openapi: unknown): Endpoint[] {
  const paths = (openapi as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  const out: Endpoint[] = [];
  for (const [route, operations] of Object.entries(paths)) {
    for (const method of Object.keys(operations)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push({ method: method.toUpperCase(), route });
  }
  return [...out, ...EXTRA_ENDPOINTS];
}

interface Known {
  readonly subscriptionId: string;
  readonly migrationId: string;
  readonly appId: string;
}

/** Generated requests: valid-looking shapes with hostile parts, and plain garbage. */
function requestArbitrary(endpoints: readonly Endpoint[], known: Known): fc.Arbitrary<FuzzRequest> {
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('', ' ', '..', '../..', '%', '%zz', '%E0%A4%A', '%00', '\u0000', '\u202e', 'null', 'undefined', '-1', '1e309', 'NaN', '{}', '[]', "' OR 1=1 --", '<script>', 'a'.repeat(5000)),
    fc.uuid(),
    fc.constantFrom(known.migrationId, known.subscriptionId, known.appId, known.migrationId.toUpperCase(), `${known.migrationId} `),
  );
  const idSegment = fc.oneof(
    text.map((s) => encodeURIComponent(s)),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '%2F', '%2e%2e', '..', '.', '%00', '%C0%AF', encodeURIComponent(known.appId), encodeURIComponent(known.appId).replace(/%2F/g, '/')),
    fc.constant(known.migrationId),
  );
  const queryKey = fc.oneof(fc.constantFrom('status', 'top', 'continuationToken', 'api-version', 'apiVersion', 'format', 'table', 'migration', 'app', 'list', 'all', 'code', 'subscriptionIds', 'resourceGroups', 'maxParallel', 'key'), fc.string({ maxLength: 10 }));
  const queryValue = fc.oneof(
    text,
    fc.integer().map(String),
    fc.double().map(String),
    fc.constantFrom('0', '-1', '1001', '99999999999999999999', 'succeeded', 'failed', 'Running', 'json', 'csv', 'html', 'xml', 'apps', 'groups', '2025-05-01', 'e30', '!!!'),
  );
  const query = fc.array(fc.tuple(queryKey, queryValue, fc.boolean()), { maxLength: 6 }).map((pairs) =>
    pairs.length === 0 ? '' : `?${pairs.map(([k, v, raw]) => `${encodeURIComponent(k)}=${raw ? v.replace(/[\s#&]/g, '') : encodeURIComponent(v)}`).join('&')}`,
  );
  const scope = fc.record(
    {
      subscriptionIds: fc.oneof(fc.constant([known.subscriptionId]), fc.array(fc.oneof(fc.uuid(), text), { maxLength: 4 }), fc.constant('not-an-array'), fc.constant([])),
      resourceGroups: fc.array(text, { maxLength: 3 }),
      appIds: fc.array(fc.oneof(text, fc.constant(known.appId)), { maxLength: 3 }),
      tags: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(text, fc.integer())),
    },
    { requiredKeys: [] },
  );
  const migrationBody = fc.record(
    {
      scope: fc.oneof(scope, fc.anything()),
      dryRun: fc.oneof(fc.boolean(), fc.constant('true')),
      maxParallel: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.string({ maxLength: 5 })),
      failureThreshold: fc.oneof(fc.integer({ min: -5, max: 20_000 }), fc.constant(null)),
      verify: fc.oneof(fc.record({ healthPath: fc.oneof(text, fc.constant('/health')), timeoutSeconds: fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.double()), dependencies: fc.array(text, { maxLength: 3 }) }, { requiredKeys: [] }), fc.anything()),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const planBody = fc.record({ inventory: fc.oneof(fc.anything(), fc.record({ apps: fc.array(fc.anything(), { maxLength: 3 }), plans: fc.array(fc.anything(), { maxLength: 3 }), virtualNetworks: fc.anything() })), options: fc.anything() }, { requiredKeys: [] });
  const body = fc.oneof(
    { weight: 4, arbitrary: migrationBody.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: planBody.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
    { weight: 1, arbitrary: fc.constantFrom('{', '[', '"', '{"scope":', 'null', '1e999', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', `[${'['.repeat(2000)}${']'.repeat(2000)}]`) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((mib) => JSON.stringify({ scope: { subscriptionIds: [known.subscriptionId] }, pad: 'x'.repeat(mib * 1024 * 1024 + 10) })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const headerValue = fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')), fc.constantFrom('', 'x'.repeat(4000), 'application/json', 'text/plain', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x'));
  const headers = fc.record(
    {
      'content-type': fc.oneof(fc.constant('application/json'), headerValue),
      'idempotency-key': headerValue,
      'x-functions-key': headerValue,
      accept: fc.oneof(fc.constantFrom('application/json', 'text/html', 'text/csv', '*/*'), headerValue),
      'if-match': headerValue,
    },
    { requiredKeys: [] },
  );
  const method = (endpoint: Endpoint): fc.Arbitrary<string> => fc.oneof({ weight: 8, arbitrary: fc.constant(endpoint.method) }, { weight: 1, arbitrary: fc.constantFrom(...STRAY_METHODS, 'GET', 'POST') });
  return fc.constantFrom(...endpoints).chain((endpoint) =>
    fc.record({
      method: method(endpoint),
      segments: fc.array(idSegment, { minLength: 2, maxLength: 2 }),
      query,
      headers,
      body,
    }).map(({ method: m, segments, query: q, headers: h, body: b }): FuzzRequest => {
      let i = 0;
      const path = endpoint.route.replace(/\{[^}]+\}/g, () => segments[i++] ?? '');
      const sendsBody = !['GET', 'HEAD', 'OPTIONS'].includes(m) && b !== undefined;
      return { method: m, path: `${path}${q}`, headers: h, body: sendsBody ? b : undefined };
    }),
  );
}

async function send(world: ProofWorld, request: FuzzRequest, deadlineMs: number): Promise<{ status: number; ms: number } | { error: string; ms: number }> {
  const started = performance.now();
  try {
    const response = await fetch(`${world.host.apiUrl}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(deadlineMs),
      redirect: 'manual',
    });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ms: performance.now() - started };
  }
}

async function settleMigrations(world: ProofWorld): Promise<void> {
  const list = await world.api<{ value: { id: string; status: string }[] }>('GET', '/migrations?top=100');
  for (const m of list.body.value) if (!FINAL_STATUSES.includes(m.status as (typeof FINAL_STATUSES)[number])) await waitForMigration(world, m.id, FINAL_STATUSES, 300_000);
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const seed = options.seed ?? 20_261_203;
  const deadlineMs = options.deadlineMs ?? 15_000;
  const scenario = timedFleet({ apps: 4, subscriptions: 1, timing: CHAOS_TIMING });
  const world = await startProofWorld({ simulator: { scenario, clockFactor: 100, throttling: false } });
  const wallStart = performance.now();
  try {
    const subscriptionId = subscriptionsOf(scenario)[0] ?? '';
    const migrationId = await startMigration(world, { scope: { subscriptionIds: [subscriptionId] }, maxParallel: 4, verify: { healthPath: '/health' } });
    await waitForMigration(world, migrationId, FINAL_STATUSES, 300_000);
    const appId = (await allApps(world, migrationId))[0]?.appId ?? '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/z';
    const openapi = await world.api('GET', '/openapi.json');
    const endpoints = endpointsOf(openapi.body);
    const pid = world.host.process.pid ?? 0;
    const rssStart = rssBytes(pid);

    const statuses: Record<string, number> = {};
    const findings: FuzzFinding[] = [];
    const times: number[] = [];
    let accepted = 0;
    let rejected = 0;
    let before = await fingerprint(world);
    await fc.assert(
      fc.asyncProperty(requestArbitrary(endpoints, { subscriptionId, migrationId, appId }), async (request) => {
        const answer = await send(world, request, deadlineMs);
        times.push(answer.ms);
        if ('error' in answer) {
          const kind = /TimeoutError|aborted/i.test(answer.error) ? 'hang' : 'transport';
          findings.push({ kind, request: describe(request), detail: answer.error });
          statuses[kind] = (statuses[kind] ?? 0) + 1;
          before = await fingerprint(world);
          return;
        }
        statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1;
        if (answer.status >= 500) findings.push({ kind: '5xx', request: describe(request), detail: `answered ${answer.status}` });
        if (answer.status >= 400 && answer.status < 500) {
          rejected++;
          const after = await fingerprint(world);
          if (after.armWrites !== before.armWrites || after.tables !== before.tables) {
            findings.push({ kind: 'rejected-but-wrote', request: describe(request), detail: `answered ${answer.status}; ARM writes ${before.armWrites} → ${after.armWrites}; tables ${before.tables} → ${after.tables}` });
          }
          before = after;
        } else {
          accepted++;
          await settleMigrations(world);
          before = await fingerprint(world);
        }
      }),
      { numRuns: options.runs, seed, endOnFailure: true },
    );
    const sorted = [...times].sort((a, b) => a - b);
    return {
      runs: options.runs,
      seed,
      endpoints: endpoints.map((e) => `${e.method} ${e.route}`),
      statuses,
      findings: findings.slice(0, 20),
      accepted,
      rejected,
      p95Ms: Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0),
      maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
      hostRssStartMb: megabytes(rssStart),
      hostRssEndMb: megabytes(rssBytes(pid)),
      hostPeakRssMb: megabytes(peakRssBytes(pid)),
      wallSeconds: Math.round((performance.now() - wallStart) / 1000),
    };
  } finally {
    await world.stop();
  }
}
