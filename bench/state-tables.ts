/**
 * The engine's state at fleet scale, without ARM or the Durable host (docs/benchmarks.md, "State at 10,000 apps"):
 * BENCH_ONLY=state-tables npm run bench. On an in-memory Azurite behind a counting proxy, the real activities lay out
 * and work through a synthetic fleet's plan, and the two status reads the API serves are timed meanwhile:
 *
 *   1. plan: the discovery document is stored, then `planFleet` (app records, plan group headers, leases);
 *   2. run: the first BENCH_STATE_RUN_APPS apps in plan order go through the state traffic the engine gives each
 *      app (loadPlanGroup per group; per app: record in progress + live count, one audit entry, phase verify,
 *      recordAppOutcome), BENCH_STATE_PARALLEL groups at once;
 *   3. finish: `finishFleet` (summary recount, gateway report, every lease given back);
 *   4. after: status and a page of apps read 200 times each on an idle Azurite (the baseline of the same run).
 *
 * During 1-3 one reader reads the status (`migrations.get`, what GET /api/migrations/{id} reads) and a page of apps
 * (`migrations.get` + `apps.list` top 100, what GET /api/migrations/{id}/apps reads) one after another, every
 * 250 ms. Per phase: wall time, storage requests by kind (and operations inside transactions), bytes, and read
 * latency p50/p95 against the idle baseline. Knobs: BENCH_STATE_APPS (10,000), BENCH_STATE_RUN_APPS (2,000),
 * BENCH_STATE_PARALLEL (100). Target: p95 < 100 ms for both reads, during and after.
 */
import type { FleetDiscovery } from '../src/azure/discovery/fleet-discovery.js';
import { DISCOVERY_DOCUMENT } from '../src/activities/discover-fleet.js';
import type { EngineDependencies } from '../src/activities/engine-dependencies.js';
import { finishFleet } from '../src/activities/finish-fleet.js';
import { loadPlanGroup } from '../src/activities/load-plan-group.js';
import { planFleet } from '../src/activities/plan-fleet.js';
import { recordAppOutcome } from '../src/activities/record-outcome.js';
import { moveCount } from '../src/activities/summary-counts.js';
import { parseInventory } from '../src/domain/inventory.js';
import { MigrationRequestSchema } from '../src/domain/migration-request.js';
import { openStateTables, type StateTables } from '../src/state/state-tables.js';
import { azuriteConnectionString, startAzurite } from '@vnet-migrator/functions-localhost/azurite.js';
import { syntheticInventory } from './domain-plan.js';
import { startCountingProxy, type RequestCounts } from './support/counting-proxy.js';
import { percentile } from './support/fleet.js';
import { envInt, printSummary, printTable } from './support/report.js';

interface Latency {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

interface PhaseResult {
  phase: string;
  seconds: number;
  requests: RequestCounts;
  status: Latency | null;
  appsPage: Latency | null;
}

const latency = (values: readonly number[]): Latency | null =>
  values.length === 0
    ? null
    : { samples: values.length, p50Ms: round(percentile(values, 50)), p95Ms: round(percentile(values, 95)), maxMs: round(Math.max(...values)) };
const round = (n: number): number => Math.round(n * 10) / 10;

function discoveryOf(apps: number): FleetDiscovery {
  const inventory = parseInventory(syntheticInventory(apps));
  const appFacts = inventory.apps.map((a) => {
    const name = a.id.split('/').at(-1) ?? 'app';
    return {
      appId: a.id,
      hostName: `${name}.azurewebsites.net`,
      scmHostName: `${name}.scm.azurewebsites.net`,
      tags: {},
      routing: { allTraffic: false, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false },
    };
  });
  return { inventory, apps: appFacts.sort((a, b) => a.appId.localeCompare(b.appId)), gateways: [], peerings: [], stats: { armReads: 0, armPosts: 0, durationInMs: 0 } as FleetDiscovery['stats'] };
}

/** Reads status and a page of apps one after another until stopped; each read's wall ms. */
function startReader(state: StateTables, migrationId: string): { stop: () => Promise<{ status: number[]; page: number[] }> } {
  const status: number[] = [];
  const page: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      let t = performance.now();
      await state.migrations.get(migrationId);
      status.push(performance.now() - t);
      t = performance.now();
      await state.migrations.get(migrationId);
      await state.apps.list(migrationId, { top: 100 });
      page.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { status, page };
    },
  };
}

export async function run(): Promise<void> {
  const appCount = envInt('BENCH_STATE_APPS', 10_000);
  const runApps = envInt('BENCH_STATE_RUN_APPS', 2_000);
  const parallel = envInt('BENCH_STATE_PARALLEL', 100);
  const azurite = await startAzurite();
  const proxy = await startCountingProxy('127.0.0.1', azurite.port);
  try {
    const state = await openStateTables(azuriteConnectionString('127.0.0.1', proxy.port), { tablePrefix: 'BenchState' });
    const deps: EngineDependencies = {
      state,
      clientsFor: () => {
        throw new Error('the state bench reaches no ARM');
      },
      probes: { token: () => Promise.resolve(''), timeoutInMs: 1000 },
      webApiVersion: '2025-05-01',
      now: () => new Date(),
    };
    const discovery = discoveryOf(appCount);
    const migrationId = 'bench-state-scale';
    const request = MigrationRequestSchema.parse({ scope: { subscriptionIds: ['00000000-0000-4000-8000-000000000000'] }, maxParallel: parallel });
    await state.migrations.create({
      id: migrationId,
      status: 'Running',
      control: 'run',
      createdTime: new Date().toISOString(),
      request,
      summary: { total: 0, succeeded: 0, rolledBack: 0, failed: 0, skipped: 0, pending: 0, inProgress: 0 },
    });
    const phases: PhaseResult[] = [];
    const phase = async (name: string, work: () => Promise<void>, read = true): Promise<void> => {
      proxy.reset();
      const reader = read ? startReader(state, migrationId) : undefined;
      const started = performance.now();
      const ticker = setInterval(() => {
        const c = proxy.counts();
        console.log(`    ${name}, ${Math.round((performance.now() - started) / 1000)} s: ${JSON.stringify(c.byKind)}, ms ${JSON.stringify(Object.fromEntries(Object.entries(c.msByKind).map(([k, v]) => [k, Math.round(v)])))}`);
      }, 30_000);
      await work().finally(() => clearInterval(ticker));
      const seconds = (performance.now() - started) / 1000;
      const requests = proxy.counts();
      const reads = reader === undefined ? undefined : await reader.stop();
      phases.push({ phase: name, seconds: round(seconds), requests, status: latency(reads?.status ?? []), appsPage: latency(reads?.page ?? []) });
      console.log(`  ${name}: ${round(seconds)} s, ${requests.total} storage requests`);
    };

    await phase('store the discovery', () => state.documents.put(DISCOVERY_DOCUMENT, migrationId, discovery), false);
    let planned = 0;
    const runErrors: Record<string, number> = {};
    await phase('plan (planFleet)', async () => {
      const result = await planFleet(deps)({ migrationId });
      if (!result.ok) throw new Error(`planFleet failed: ${JSON.stringify(result.error)}`);
      planned = result.value.migrate;
    });
    await phase(`run ${runApps} apps, ${parallel} groups at once`, async () => {
      const migration = await state.migrations.get(migrationId);
      const groups = migration?.plan?.groups ?? 0;
      let next = 0;
      let started = 0;
      const load = loadPlanGroup(deps);
      const record = recordAppOutcome(deps);
      const worker = async (): Promise<void> => {
        while (next < groups && started < runApps) {
          const groupIndex = next++;
          const group = await load({ migrationId, groupIndex });
          for (const app of group.apps) {
            if (started++ >= runApps) return;
            try {
              await state.apps.update(migrationId, app.appId, () => ({ outcome: 'inProgress', phase: 'snapshot', startedTime: new Date().toISOString() }));
              await moveCount(deps, migrationId, 'pending', 'inProgress');
              await state.audit.append({ appId: app.appId, migrationId, time: new Date().toISOString(), action: 'disconnect-gateway', outcome: 'applied' });
              await state.apps.update(migrationId, app.appId, () => ({ phase: 'verify' }));
              await record({ migrationId, appId: app.appId, outcome: 'succeeded', downtimeSeconds: 1 });
            } catch (error) {
              // The engine would retry the activity; here the app is counted as failed by the error's code.
              const code = (error as { code?: string }).code ?? 'unknown';
              runErrors[code] = (runErrors[code] ?? 0) + 1;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: parallel }, worker));
    });
    await phase('finish (finishFleet)', () => finishFleet(deps)({ migrationId, canceled: false }));
    const after = { status: [] as number[], page: [] as number[] };
    await phase('after: 200 status + 200 app-page reads, idle', async () => {
      for (let i = 0; i < 200; i++) {
        let t = performance.now();
        await state.migrations.get(migrationId);
        after.status.push(performance.now() - t);
        t = performance.now();
        await state.migrations.get(migrationId);
        await state.apps.list(migrationId, { top: 100 });
        after.page.push(performance.now() - t);
      }
    }, false);
    const last = phases.at(-1);
    if (last !== undefined) phases[phases.length - 1] = { ...last, status: latency(after.status), appsPage: latency(after.page) };

    const final = await state.migrations.get(migrationId);
    console.log(`${appCount} apps (${discovery.inventory.apps.length} in the inventory), ${planned} planned, ${final?.plan?.groups ?? 0} plan groups; final ${final?.status} ${JSON.stringify(final?.summary)}; apps whose state traffic failed in the run phase: ${JSON.stringify(runErrors)}`);
    const baseline = phases.at(-1);
    const ratio = (l: Latency | null, base: Latency | null | undefined): string => (l === null || base == null || base.p95Ms === 0 ? '-' : `${round(l.p95Ms / base.p95Ms)}`);
    printTable('State at scale: storage requests and status reads per phase (wall)', [
      'phase', 's', 'requests', 'point reads', 'queries', 'writes', 'deletes', 'transactions (ops)', 'MB in / out', 'status p50 / p95 ms', 'apps page p50 / p95 ms', 'p95 ÷ idle (status, page)',
    ], phases.map((p) => [
      p.phase,
      p.seconds,
      p.requests.total,
      p.requests.byKind.pointRead,
      p.requests.byKind.query,
      p.requests.byKind.write,
      p.requests.byKind.delete,
      `${p.requests.byKind.transaction} (${p.requests.transactionOperations})`,
      `${round(p.requests.requestBytes / 1e6)} / ${round(p.requests.responseBytes / 1e6)}`,
      p.status === null ? '-' : `${p.status.p50Ms} / ${p.status.p95Ms}`,
      p.appsPage === null ? '-' : `${p.appsPage.p50Ms} / ${p.appsPage.p95Ms}`,
      p === baseline ? '1 (baseline)' : `${ratio(p.status, baseline?.status)}, ${ratio(p.appsPage, baseline?.appsPage)}`,
    ]));
    printSummary('state-tables', { apps: appCount, inventoryApps: discovery.inventory.apps.length, planned, runApps, parallel, runErrors, phases });
  } finally {
    await proxy.close();
    await azurite.stop();
  }
}
