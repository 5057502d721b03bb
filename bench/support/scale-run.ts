/**
 * Proofs 4 and 5, status latency and whole-engine scale: one large generated fleet migrated end to end through the
 * HTTP API on the simulator's sped-up clock. While it runs, and again after it ended, the status of the migration
 * (`GET /api/migrations/{id}`) and one page of its apps (`GET /api/migrations/{id}/apps?top=100`) are read one after
 * another and timed (wall ms, real sockets). At the end: whether it completed (or how far it got within the time
 * limit), the host's peak RSS (/proc VmHWM), and the Durable history it left in Table Storage: rows per app and the
 * longest history of any orchestration, which continueAsNew keeps bounded for the fleet orchestration.
 */
import { TableClient } from '@azure/data-tables';
import { tableNamesFor } from '@vnet-migrator/functions-localhost/durable/table-keys.js';
import { subscriptionsOf, timedFleet, percentile } from './fleet.js';
import { CHAOS_TIMING } from './faults-run.js';
import { cpuSeconds, cpuWaitSeconds, megabytes, peakRssBytes, rssBytes } from './process-memory.js';
import { FINAL_STATUSES, startMigration, startProofWorld, type MigrationStatusBody, type ProofWorld } from './proof-world.js';

export interface ScaleOptions {
  readonly apps: number;
  readonly subscriptions?: number;
  readonly clockFactor: number;
  readonly maxParallel: number;
  /** Stop waiting after this much wall time; the result then says how far the fleet got. */
  readonly timeLimitMs: number;
  /** Status reads after the end. */
  readonly afterSamples?: number;
  /** Extra app settings for the host (e.g. MIGRATOR_GROUPS_PER_GENERATION). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface LatencyStats {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface HistoryStats {
  readonly instances: number;
  /** Rows of history events in the table, current and stale executions. */
  readonly historyRows: number;
  /** historyRows ÷ apps in the plan. */
  readonly rowsPerApp: number;
  /** Per orchestration name: instances, and the longest current history. */
  readonly byOrchestration: Record<string, { instances: number; maxHistory: number; meanHistory: number }>;
}

export interface ScaleResult {
  readonly apps: number;
  readonly subscriptions: number;
  readonly clockFactor: number;
  readonly maxParallel: number;
  readonly completed: boolean;
  readonly status: string;
  readonly summary: Record<string, number>;
  readonly planned: number;
  readonly wallSeconds: number;
  /** Simulated seconds from the POST to the end (or to the time limit). */
  readonly simulatedSeconds: number;
  /** Apps finished (any outcome) per wall minute over the run. */
  readonly appsPerMinute: number;
  readonly statusDuring: LatencyStats;
  readonly appsPageDuring: LatencyStats;
  readonly statusAfter: LatencyStats | null;
  readonly appsPageAfter: LatencyStats | null;
  readonly hostPeakRssMb: number;
  readonly hostRssEndMb: number;
  readonly hostCpuSeconds: number;
  /** Seconds the host's main thread was ready to run but waited for a CPU (others' load on the shared machine). */
  readonly hostCpuWaitSeconds: number;
  readonly history: HistoryStats;
}

function stats(values: readonly number[]): LatencyStats {
  return { samples: values.length, p50Ms: Math.round(percentile(values, 50) * 10) / 10, p95Ms: Math.round(percentile(values, 95) * 10) / 10, maxMs: Math.round(Math.max(0, ...values) * 10) / 10 };
}

async function timed(world: ProofWorld, path: string): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  const answer = await world.api('GET', path);
  return { ms: performance.now() - started, status: answer.status, body: answer.body };
}

const finished = (s: Record<string, number>): number => (s['succeeded'] ?? 0) + (s['rolledBack'] ?? 0) + (s['failed'] ?? 0) + (s['skipped'] ?? 0);

export async function historyStats(world: ProofWorld, taskHub: string, plannedApps: number): Promise<HistoryStats> {
  const client = TableClient.fromConnectionString(world.azurite.connectionString, tableNamesFor(taskHub).history, { allowInsecureConnection: true });
  let historyRows = 0;
  const partitions = new Set<string>();
  const heads: { name: string; historyLength: number }[] = [];
  for await (const row of client.listEntities<{ name?: string; historyLength?: number }>({ queryOptions: { select: ['PartitionKey', 'RowKey', 'name', 'historyLength'] } })) {
    partitions.add(row.partitionKey ?? '');
    if (row.rowKey?.startsWith('h:') === true) historyRows++;
    else if (row.rowKey === 'head') heads.push({ name: String(row.name ?? '?'), historyLength: Number(row.historyLength ?? 0) });
  }
  const byOrchestration: HistoryStats['byOrchestration'] = {};
  for (const head of heads) {
    const entry = byOrchestration[head.name] ?? { instances: 0, maxHistory: 0, meanHistory: 0 };
    entry.meanHistory = (entry.meanHistory * entry.instances + head.historyLength) / (entry.instances + 1);
    entry.instances += 1;
    entry.maxHistory = Math.max(entry.maxHistory, head.historyLength);
    byOrchestration[head.name] = entry;
  }
  for (const entry of Object.values(byOrchestration)) entry.meanHistory = Math.round(entry.meanHistory * 10) / 10;
  return { instances: partitions.size, historyRows, rowsPerApp: Math.round((historyRows / Math.max(1, plannedApps)) * 10) / 10, byOrchestration };
}

export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const subscriptions = options.subscriptions ?? 10;
  const scenario = timedFleet({ apps: options.apps, subscriptions, timing: CHAOS_TIMING });
  const world = await startProofWorld({ simulator: { scenario, clockFactor: options.clockFactor, throttling: true }, ...(options.env === undefined ? {} : { env: options.env }) });
  try {
    const pid = world.host.process.pid ?? 0;
    const cpuStart = cpuSeconds(pid) ?? Number.NaN;
    const waitStart = cpuWaitSeconds(pid) ?? Number.NaN;
    const wallStart = performance.now();
    const from = world.sim.clock.now();
    const id = await startMigration(world, { scope: { subscriptionIds: subscriptionsOf(scenario) }, maxParallel: options.maxParallel, failureThreshold: 10_000, verify: { healthPath: '/health', timeoutSeconds: 3600 } });
    const statusDuring: number[] = [];
    const pageDuring: number[] = [];
    let last: MigrationStatusBody | undefined;
    let lastLog = 0;
    for (;;) {
      const status = await timed(world, `/migrations/${id}`);
      if (status.status === 200) {
        last = status.body as MigrationStatusBody;
        if (FINAL_STATUSES.includes(last.status as (typeof FINAL_STATUSES)[number])) break;
      }
      statusDuring.push(status.ms);
      const page = await timed(world, `/migrations/${id}/apps?top=100`);
      if (page.status !== 200) throw new Error(`the apps page answered ${page.status}`);
      pageDuring.push(page.ms);
      const elapsed = performance.now() - wallStart;
      if (elapsed - lastLog > 60_000) {
        lastLog = elapsed;
        console.log(`  ${Math.round(elapsed / 1000)} s: ${last?.status ?? '?'} ${JSON.stringify(last?.summary ?? {})}, host RSS ${megabytes(rssBytes(pid))} MB`);
      }
      if (elapsed > options.timeLimitMs) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const simulatedSeconds = (world.sim.clock.now() - from) / 1000;
    const completed = last !== undefined && FINAL_STATUSES.includes(last.status as (typeof FINAL_STATUSES)[number]);
    const statusAfter: number[] = [];
    const pageAfter: number[] = [];
    if (completed) {
      for (let i = 0; i < (options.afterSamples ?? 200); i++) {
        statusAfter.push((await timed(world, `/migrations/${id}`)).ms);
        pageAfter.push((await timed(world, `/migrations/${id}/apps?top=100`)).ms);
      }
    }
    const summary = last?.summary ?? {};
    const planned = last?.plan?.migrate ?? 0;
    return {
      apps: options.apps,
      subscriptions,
      clockFactor: options.clockFactor,
      maxParallel: options.maxParallel,
      completed,
      status: last?.status ?? 'unknown',
      summary,
      planned,
      wallSeconds: Math.round(wallSeconds),
      simulatedSeconds: Math.round(simulatedSeconds),
      appsPerMinute: Math.round((finished(summary) / wallSeconds) * 60 * 10) / 10,
      statusDuring: stats(statusDuring),
      appsPageDuring: stats(pageDuring),
      statusAfter: completed ? stats(statusAfter) : null,
      appsPageAfter: completed ? stats(pageAfter) : null,
      hostPeakRssMb: megabytes(peakRssBytes(pid)),
      hostRssEndMb: megabytes(rssBytes(pid)),
      hostCpuSeconds: Math.round((cpuSeconds(pid) ?? Number.NaN) - cpuStart),
      hostCpuWaitSeconds: Math.round((cpuWaitSeconds(pid) ?? Number.NaN) - waitStart),
      history: await historyStats(world, world.env['TASKHUB_NAME'] ?? 'VnetMigratorHub', planned),
    };
  } finally {
    await world.stop();
  }
}
