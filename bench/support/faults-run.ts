/**
 * Proof 7, faults: a generated fleet migrated through the HTTP API while the simulator injects transient faults at a
 * given rate, ambiguous applied-then-504 answers, permanent refusals, or while Table Storage is cut mid-fleet.
 * Judged over ARM: every succeeded app regional on its planned subnet with no gateway connection; every rolled-back
 * app field for field equal to its snapshot taken before the run (diffNetworkState); no app left with no integration.
 */
import { diffNetworkState, readAppNetworkState } from '../../src/azure/app-networking/index.js';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import type { AppNetworkSnapshot } from '../../src/domain/migration-model.js';
import type { FaultRule } from '@vnet-migrator/arm-simulator/contract.js';
import { subscriptionsOf, timedFleet, type FleetTiming } from './fleet.js';
import { allApps, staticCredential, startMigration, startProofWorld, waitForMigration, type MigrationStatusBody, type ProofWorld } from './proof-world.js';

/** Short steps for correctness runs (the order of steps is what matters here, not their length). */
export const CHAOS_TIMING: FleetTiming = { disconnectMs: 2_000, joinMs: 4_000, restartMs: 6_000, subnetLroMs: 2_000, otherMs: { min: 20, max: 100 } };

export type FaultMode =
  | { readonly kind: 'transient'; readonly rate: number }
  | { readonly kind: 'ambiguous'; readonly rate: number }
  | { readonly kind: 'permanent'; readonly everyNth: number }
  | { readonly kind: 'storage-outage'; readonly outageMs: number };

export interface FaultRunResult {
  readonly mode: string;
  readonly planned: number;
  readonly status: string;
  /** The migration's error when it did not complete (code: message). */
  readonly error: string | null;
  readonly outcomes: Record<string, number>;
  readonly faultsFired: number;
  readonly rolledBackExact: number;
  readonly rolledBackWithDifference: string[];
  readonly succeededWrong: string[];
  readonly withoutIntegration: string[];
  readonly wallSeconds: number;
}

const ARM = '^/subscriptions/';

export function describeMode(mode: FaultMode): string {
  switch (mode.kind) {
    case 'transient': return `transient ${Math.round(mode.rate * 100)} %`;
    case 'ambiguous': return `applied-then-504 on ${Math.round(mode.rate * 100)} % of writes`;
    case 'permanent': return `permanent refusal of every ${mode.everyNth}th app's site PATCH`;
    case 'storage-outage': return `storage cut for ${mode.outageMs} ms mid-fleet`;
  }
}

function rulesFor(mode: FaultMode, planned: readonly string[]): FaultRule[] {
  switch (mode.kind) {
    case 'transient': {
      if (mode.rate === 0) return [];
      const p = mode.rate;
      return [
        { id: 't-500', kind: 'http500', probability: 0.4 * p, pathPattern: ARM },
        { id: 't-reset', kind: 'reset', probability: 0.2 * p, pathPattern: ARM },
        { id: 't-429', kind: 'http429', probability: 0.2 * p, retryAfterSeconds: 1, pathPattern: ARM },
        { id: 't-busy', kind: 'another-operation', probability: 0.2 * p, retryAfterSeconds: 1, pathPattern: ARM },
      ];
    }
    case 'ambiguous':
      return ['PUT', 'PATCH', 'DELETE'].map((method): FaultRule => ({ id: `a-504-${method}`, kind: 'applied-then-504', method, probability: mode.rate, pathPattern: ARM }));
    case 'permanent':
      return planned.filter((_, i) => i % mode.everyNth === 0).map((appId, i): FaultRule => ({
        id: `p-${i}`, kind: 'permanent', method: 'PATCH', pathPattern: `${appId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        message: 'The site is locked by policy (simulated permanent refusal).',
      }));
    case 'storage-outage':
      return [];
  }
}

async function waitForDone(world: ProofWorld, id: string, apps: number): Promise<void> {
  for (;;) {
    const { body } = await world.api<MigrationStatusBody>('GET', `/migrations/${id}`);
    const done = (body.summary?.['succeeded'] ?? 0) + (body.summary?.['rolledBack'] ?? 0) + (body.summary?.['failed'] ?? 0);
    if (done >= apps || body.status === 'Completed') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function runFaults(options: { apps: number; clockFactor: number; mode: FaultMode; seed?: number }): Promise<FaultRunResult> {
  const started = performance.now();
  const scenario = timedFleet({ apps: options.apps, seed: options.seed ?? 1, timing: CHAOS_TIMING });
  const subscriptionIds = subscriptionsOf(scenario);
  const world = await startProofWorld({ simulator: { scenario, clockFactor: options.clockFactor, throttling: true }, storageProxy: options.mode.kind === 'storage-outage' });
  try {
    const cache = new Map<string, ArmClients>();
    const clientsFor = (sub: string): ArmClients => {
      let c = cache.get(sub);
      if (c === undefined) cache.set(sub, (c = createArmClients(staticCredential('proof-reader'), sub, { endpoint: world.sim.url, caPem: world.sim.caPem })));
      return c;
    };
    const dry = await world.api<{ plan: { groups: { apps: { appId: string }[] }[] } }>('POST', '/migrations', { scope: { subscriptionIds }, dryRun: true });
    if (dry.status !== 200) throw new Error(`dry run answered ${dry.status}`);
    const planned = dry.body.plan.groups.flatMap((g) => g.apps.map((a) => a.appId));
    const before = new Map<string, AppNetworkSnapshot>();
    for (const id of planned) before.set(id.toLowerCase(), await readAppNetworkState(id, { clientsFor }));
    for (const rule of rulesFor(options.mode, planned)) world.sim.faults.add(rule);

    const id = await startMigration(world, { scope: { subscriptionIds }, maxParallel: 4, failureThreshold: 10_000, verify: { healthPath: '/health', timeoutSeconds: 600 } });
    if (options.mode.kind === 'storage-outage' && world.storage !== undefined) {
      await waitForDone(world, id, Math.max(1, Math.floor(planned.length / 3)));
      world.storage.cut();
      await new Promise((resolve) => setTimeout(resolve, options.mode.kind === 'storage-outage' ? options.mode.outageMs : 0));
      world.storage.restore();
    }
    const final = await waitForMigration(world, id, ['Completed', 'Failed', 'Canceled'], 900_000);
    const faultsFired = world.sim.faults.list().reduce((n, r) => n + r.fired, 0);
    world.sim.faults.clear();
    const records = await allApps(world, id);
    const outcomes: Record<string, number> = {};
    for (const r of records) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const result: FaultRunResult = {
      mode: describeMode(options.mode), planned: planned.length, status: final.status,
      error: final.error === null ? null : `${final.error.code}: ${final.error.message}`, outcomes, faultsFired,
      rolledBackExact: 0, rolledBackWithDifference: [], succeededWrong: [], withoutIntegration: [], wallSeconds: 0,
    };
    let exact = 0;
    for (const record of records.filter((r) => before.has(r.appId.toLowerCase()))) {
      const now = await readAppNetworkState(record.appId, { clientsFor });
      if (now.virtualNetworkSubnetId === null && now.gatewayConnections.length === 0) result.withoutIntegration.push(record.appId);
      if (record.outcome === 'succeeded') {
        if (now.virtualNetworkSubnetId?.toLowerCase() !== record.subnetId?.toLowerCase() || now.gatewayConnections.length > 0) result.succeededWrong.push(record.appId);
      } else if (record.outcome === 'rolledBack' || record.outcome === 'failed') {
        const difference = diffNetworkState(before.get(record.appId.toLowerCase()) as AppNetworkSnapshot, now);
        if (difference.length === 0) exact++;
        else result.rolledBackWithDifference.push(`${record.appId}: ${difference.join('; ')}`);
      }
    }
    return { ...result, rolledBackExact: exact, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    await world.stop();
  }
}
