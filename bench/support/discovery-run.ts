/**
 * Proof 3, discovery: the engine's live discovery and planning (a dry run, `POST /api/migrations` with `dryRun:
 * true`, which reads ARM and writes nothing) of a generated fleet spread over several subscriptions, throttling on.
 * Its time (simulated ms) is set against the read bound (arm-budget.ts: the largest (reads − 250) ÷ 25 per second of
 * any subscription) and against the floor its own concurrency limit sets (every read's mean latency × reads ÷ the
 * calls it keeps in flight); the engine's own count of its ARM calls (`discovered.stats`) is checked against the
 * simulator's. The host's peak RSS comes from /proc (a fresh host per run, so the peak is discovery's).
 */
import { request as httpRequest } from 'node:http';
import { DEFAULT_DISCOVERY_CONCURRENCY, DEFAULT_DISCOVERY_TOTAL_CONCURRENCY } from '../../src/azure/discovery/fleet-discovery.js';
import { budgetReport, bucketBoundMs, countArmBudget, type BudgetReport } from './arm-budget.js';
import { REALISTIC_TIMING, subscriptionsOf, timedFleet } from './fleet.js';
import { cpuSeconds, megabytes, peakRssBytes } from './process-memory.js';
import { startProofWorld } from './proof-world.js';

export interface DiscoveryOptions {
  readonly apps: number;
  readonly subscriptions: number;
  readonly clockFactor: number;
}

export interface DiscoveryResult {
  readonly apps: number;
  readonly subscriptions: number;
  readonly clockFactor: number;
  readonly discoveredApps: number;
  readonly planned: number;
  /** Simulated ms from the request to its answer. */
  readonly timeMs: number;
  readonly wallMs: number;
  /** What the engine counted itself. */
  readonly engineCount: { readonly armReads: number; readonly armPosts: number; readonly durationInMs: number };
  readonly budget: BudgetReport;
  /** The largest (reads − burst) ÷ refill of any subscription, simulated ms. */
  readonly readBoundMs: number;
  readonly readBoundRatio: number;
  /** Mean simulated latency × (reads + posts) ÷ the calls discovery keeps in flight (per subscription × subscriptions, capped by its total). */
  readonly concurrencyFloorMs: number;
  readonly concurrencyFloorRatio: number;
  readonly hostPeakRssMb: number;
  readonly hostCpuSeconds: number;
}

interface DryRunAnswer {
  discovered: { apps: number; stats: { armReads: number; armPosts: number; durationInMs: number } };
  plan: { groups: { apps: unknown[] }[] };
}

/** A POST with no client deadline: fetch gives up on headers after 300 s, and a 10,000-app dry run can take longer. */
function postWithoutDeadline<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T });
        } catch {
          reject(new Error(`the dry run answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 500)}`));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export async function runDiscovery(options: DiscoveryOptions): Promise<DiscoveryResult> {
  const scenario = timedFleet({ apps: options.apps, subscriptions: options.subscriptions });
  const world = await startProofWorld({ simulator: { scenario, clockFactor: options.clockFactor, throttling: true } });
  try {
    const budget = countArmBudget(world.sim);
    const pid = world.host.process.pid ?? 0;
    const cpuStart = cpuSeconds(pid) ?? Number.NaN;
    const from = world.sim.clock.now();
    const wallStart = performance.now();
    const answer = await postWithoutDeadline<DryRunAnswer>(`${world.host.apiUrl}/migrations`, { scope: { subscriptionIds: subscriptionsOf(scenario) }, dryRun: true });
    const wallMs = performance.now() - wallStart;
    const timeMs = world.sim.clock.now() - from;
    if (answer.status !== 200) throw new Error(`the dry run answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 2000)}`);
    const report = budgetReport(budget);
    const readBoundMs = Math.max(0, ...[...budget.passed.values()].map((b) => bucketBoundMs('read', b.read.length)));
    const { min, max } = REALISTIC_TIMING.otherMs;
    const stats = answer.body.discovered.stats;
    // Calls in flight at most: per subscription, and in all (src/azure/discovery/arm-reader.ts).
    const inFlight = Math.min(DEFAULT_DISCOVERY_TOTAL_CONCURRENCY, DEFAULT_DISCOVERY_CONCURRENCY * options.subscriptions);
    const concurrencyFloorMs = (((min + max) / 2) * (report.passed.read + report.passed.write)) / inFlight;
    return {
      apps: options.apps,
      subscriptions: options.subscriptions,
      clockFactor: options.clockFactor,
      discoveredApps: answer.body.discovered.apps,
      planned: answer.body.plan.groups.reduce((n, g) => n + g.apps.length, 0),
      timeMs,
      wallMs: Math.round(wallMs),
      engineCount: stats,
      budget: { ...report, bounds: report.bounds.slice(0, 4) },
      readBoundMs,
      readBoundRatio: readBoundMs === 0 ? Number.POSITIVE_INFINITY : timeMs / readBoundMs,
      concurrencyFloorMs,
      concurrencyFloorRatio: timeMs / concurrencyFloorMs,
      hostPeakRssMb: megabytes(peakRssBytes(pid)),
      hostCpuSeconds: Math.round(((cpuSeconds(pid) ?? Number.NaN) - cpuStart) * 10) / 10,
    };
  } finally {
    await world.stop();
  }
}
