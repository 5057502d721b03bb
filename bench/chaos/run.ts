/**
 * `npm run chaos`: the chaos suite (docs/benchmarks.md, "Chaos"). CHAOS_ONLY=<faults|crash|fuzz>[,...] picks parts.
 * Each part prints a readable table and a `PROOF_JSON <name> {...}` line; the process exits 1 when a target is missed.
 * Knobs: CHAOS_APPS (100), CHAOS_CLOCK (100), CHAOS_CRASH_RUNS (20), CHAOS_FUZZ_RUNS (500),
 * CHAOS_FUZZ_SEED (fast-check's seed; a failure prints the request).
 */
import { describeMode, runFaults, type FaultMode, type FaultRunResult } from '../support/faults-run.js';
import { runCrash, type CrashRunResult, type KillMoment } from '../support/crash-run.js';
import { runFuzz } from '../support/fuzz-run.js';
import { envInt, printSummary, printTable } from '../support/report.js';

const only = (process.env['CHAOS_ONLY'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
const wanted = (name: string): boolean => only.length === 0 || only.includes(name);
const failures: string[] = [];

async function faults(): Promise<void> {
  const apps = envInt('CHAOS_APPS', 100);
  const clockFactor = envInt('CHAOS_CLOCK', 100);
  const modes: FaultMode[] = [
    { kind: 'transient', rate: 0 }, { kind: 'transient', rate: 0.1 }, { kind: 'transient', rate: 0.2 }, { kind: 'transient', rate: 0.4 },
    { kind: 'ambiguous', rate: 0.2 }, { kind: 'permanent', everyNth: 10 }, { kind: 'storage-outage', outageMs: 5_000 },
  ];
  const results: FaultRunResult[] = [];
  for (const mode of modes) {
    console.log(`faults: ${describeMode(mode)} ...`);
    results.push(await runFaults({ apps, clockFactor, mode }));
  }
  printTable(`Faults, fleet-${apps}, clock x${clockFactor}`, ['mode', 'planned', 'status', 'succeeded', 'rolled back', 'failed', 'faults fired', 'rollback exact', 'rollback differs', 'succeeded but wrong', 'no integration', 'wall s'],
    results.map((r) => [r.mode, r.planned, r.status, r.outcomes['succeeded'] ?? 0, r.outcomes['rolledBack'] ?? 0, r.outcomes['failed'] ?? 0, r.faultsFired, r.rolledBackExact, r.rolledBackWithDifference.length, r.succeededWrong.length, r.withoutIntegration.length, r.wallSeconds]));
  for (const r of results) if (r.error !== null) console.log(`  ${r.mode}: ${r.status}, ${r.error}`);
  printSummary('faults', results);
  for (const r of results) {
    if (r.withoutIntegration.length > 0 || r.rolledBackWithDifference.length > 0 || r.succeededWrong.length > 0) failures.push(`${r.mode}: ${JSON.stringify(r)}`);
    if (/^transient (0|10|20) %$/.test(r.mode) && (r.outcomes['succeeded'] ?? 0) !== r.planned) failures.push(`${r.mode}: ${r.outcomes['succeeded'] ?? 0} of ${r.planned} succeeded`);
  }
}

async function crash(): Promise<void> {
  const apps = envInt('CHAOS_APPS', 100);
  const clockFactor = envInt('CHAOS_CLOCK', 100);
  const runs = envInt('CHAOS_CRASH_RUNS', 20);
  const seed = envInt('CHAOS_CRASH_SEED', 20_261_202);
  // CHAOS_CRASH_KILL=progress (default): the SIGKILL comes once a seeded random number of apps (0 .. 90 % of the
  // fleet; 0 = during discovery or planning) have finished, so it lands mid-fleet however fast or loaded the machine
  // is. CHAOS_CRASH_KILL=time: a seeded random moment 2 s .. CHAOS_CRASH_WINDOW_MS real ms after the start (a 100-app
  // run took 50-360 s on the shared 2-CPU machine, so a fixed window also hits runs that already finished).
  const byProgress = (process.env['CHAOS_CRASH_KILL'] ?? 'progress') !== 'time';
  const killWindow = envInt('CHAOS_CRASH_WINDOW_MS', 150_000);
  let state = seed;
  const random = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const results: CrashRunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const moment: KillMoment = byProgress ? { killAtAppsDone: Math.floor(random() * Math.floor(apps * 0.9)) } : { killAfterMs: Math.round(2_000 + random() * (killWindow - 2_000)) };
    const what = 'killAtAppsDone' in moment ? `once ${moment.killAtAppsDone} apps are done` : `after ${moment.killAfterMs} ms`;
    console.log(`crash run ${i + 1}/${runs}: SIGKILL ${what}`);
    try {
      results.push(await runCrash({ apps, clockFactor, ...moment }));
      console.log(`  ${JSON.stringify(results.at(-1))}`);
    } catch (error) {
      // One run that never finishes is a finding, not a reason to lose the others.
      failures.push(`crash run ${i + 1} (SIGKILL ${what}): ${String(error)}`);
      console.log(`  run ${i + 1} failed: ${String(error)}`);
    }
  }
  printTable(`Crash, fleet-${apps}, clock x${clockFactor}, kill moments by ${byProgress ? 'apps done' : 'time'}, seed ${seed}`, ['run', 'kill after ms', 'at kill: status, apps done', 'status', 'succeeded', 'rolled back', 'failed', 'no integration', 'orphaned subnets', 'duplicate subnets', 'touched twice', 'contender', 'lease violations', 'leases left', 'wall s'],
    results.map((r, i) => [i + 1, r.killAfterMs, `${r.atKill.status}, ${r.atKill.appsDone}`, r.status, r.outcomes['succeeded'] ?? 0, r.outcomes['rolledBack'] ?? 0, r.outcomes['failed'] ?? 0, r.withoutIntegration, r.orphanedSubnets, r.duplicateSubnets, r.touchedTwice.length, r.contenderStatus ?? 'finished', r.leaseViolations.length, r.leasesLeft, r.wallSeconds]));
  printSummary('crash', results);
  for (const r of results) {
    if (r.withoutIntegration + r.orphanedSubnets + r.duplicateSubnets + r.touchedTwice.length + r.leaseViolations.length + r.leasesLeft > 0 || r.status !== 'Completed' || (r.contenderStatus !== null && r.contenderStatus !== 409)) failures.push(`crash: ${JSON.stringify(r)}`);
  }
}

async function fuzz(): Promise<void> {
  const r = await runFuzz({ runs: envInt('CHAOS_FUZZ_RUNS', 500), seed: envInt('CHAOS_FUZZ_SEED', 20_261_203) });
  printTable(`Fuzzed input, ${r.runs} requests over ${r.endpoints.length} endpoints (seed ${r.seed})`, ['answers', 'accepted', 'rejected', 'findings', 'p95 ms', 'max ms', 'host RSS start / end / peak MB', 'wall s'],
    [[JSON.stringify(r.statuses), r.accepted, r.rejected, r.findings.length, r.p95Ms, r.maxMs, `${r.hostRssStartMb} / ${r.hostRssEndMb} / ${r.hostPeakRssMb}`, r.wallSeconds]]);
  for (const f of r.findings) console.log(`  ${f.kind}: ${f.detail}\n    ${f.request}`);
  printSummary('fuzz', r);
  if (r.findings.length > 0) failures.push(`fuzz: ${r.findings.length} findings`);
}

if (wanted('faults')) await faults();
if (wanted('crash')) await crash();
if (wanted('fuzz')) await fuzz();
if (failures.length > 0) {
  console.error(`chaos targets missed:\n${failures.join('\n')}`);
  process.exit(1);
}
