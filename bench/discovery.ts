/**
 * Proof 3, discovery (docs/benchmarks.md, "Discovery"): BENCH_ONLY=discovery npm run bench. Two runs: fleet-1000
 * over 10 subscriptions at real-time ARM (clock x1), and the largest generated fleet the engine accepts over 10
 * subscriptions (clock x10) for time and the host's peak RSS. Knobs: BENCH_DISCOVERY_APPS (1000),
 * BENCH_DISCOVERY_SUBSCRIPTIONS (10), BENCH_DISCOVERY_CLOCK (1), BENCH_DISCOVERY_LARGE_APPS (9700: 9,973 apps with
 * slots, under the engine's 10,000-app inventory limit), BENCH_DISCOVERY_LARGE_CLOCK (10). Target: time ≤ 1.2 × the
 * read bound.
 */
import { runDiscovery, type DiscoveryResult } from './support/discovery-run.js';
import { envInt, printSummary, printTable, simSeconds } from './support/report.js';

export async function run(): Promise<void> {
  const subscriptions = envInt('BENCH_DISCOVERY_SUBSCRIPTIONS', 10);
  const results: DiscoveryResult[] = [];
  for (const [apps, clockFactor] of [
    [envInt('BENCH_DISCOVERY_APPS', 1000), envInt('BENCH_DISCOVERY_CLOCK', 1)],
    [envInt('BENCH_DISCOVERY_LARGE_APPS', 9_700), envInt('BENCH_DISCOVERY_LARGE_CLOCK', 10)],
  ] as const) {
    console.log(`discovery: fleet-${apps} over ${subscriptions} subscriptions, clock x${clockFactor} ...`);
    const r = await runDiscovery({ apps, subscriptions, clockFactor });
    printSummary('discovery-one', r);
    results.push(r);
  }
  printTable('Discovery (dry run: live discovery + plan), throttling on; times in simulated seconds', [
    'apps', 'subs', 'clock', 'discovered', 'planned', 'time s', 'wall s', 'reads (engine / sim)', 'posts (engine / sim writes)', '429s', 'read bound s', 'time / read bound', 'concurrency floor s', 'time / floor', 'host peak RSS MB', 'host CPU s',
  ], results.map((r) => [
    r.apps, r.subscriptions, r.clockFactor, r.discoveredApps, r.planned, simSeconds(r.timeMs), (r.wallMs / 1000).toFixed(1), `${r.engineCount.armReads} / ${r.budget.passed.read}`,
    `${r.engineCount.armPosts} / ${r.budget.passed.write}`, r.budget.throttled.read + r.budget.throttled.write, simSeconds(r.readBoundMs), r.readBoundRatio, simSeconds(r.concurrencyFloorMs), r.concurrencyFloorRatio, r.hostPeakRssMb, r.hostCpuSeconds,
  ]));
  printSummary('discovery', results);
  for (const r of results) if (r.discoveredApps < r.apps) throw new Error(`discovery found ${r.discoveredApps} of ${r.apps} apps`);
}
