/**
 * Generated fleets with realistic ARM timing for the proof suites. The values and where they come from are in
 * docs/benchmarks.md ("Realistic latencies"); in short, the three steps of the window add up to 2 minutes, the low
 * end of the "2-5 minutes" of downtime Microsoft Learn gives for the manual disconnect/connect migration (seed 000).
 */
import type { Scenario } from '@vnet-migrator/arm-simulator/contract.js';
import { generateFleet } from '@vnet-migrator/arm-simulator/scenario/generate.js';

/** Simulated milliseconds. */
export interface FleetTiming {
  /** DELETE of the gateway-based connection (sites and slots). */
  readonly disconnectMs: number;
  /** PATCH of the site (the regional join; every other site PATCH takes as long). */
  readonly joinMs: number;
  /** The restart that disconnecting the gateway-based connection causes. */
  readonly restartMs: number;
  /** Subnet create/delete (Network long-running operation). */
  readonly subnetLroMs: number;
  /** Every other ARM request: uniform between these. */
  readonly otherMs: { readonly min: number; readonly max: number };
}

export const REALISTIC_TIMING: FleetTiming = {
  disconnectMs: 20_000,
  joinMs: 40_000,
  restartMs: 60_000,
  subnetLroMs: 20_000,
  otherMs: { min: 50, max: 300 },
};

/** The floor: the configured disconnect + join + restart of one app. */
export function floorMs(timing: FleetTiming): number {
  return timing.disconnectMs + timing.joinMs + timing.restartMs;
}

/**
 * The least any tool can do in this model: the app is down from the moment the DELETE is applied (the simulator
 * applies a request at the end of its latency) until both the join is applied (at least `joinMs` later) and the
 * restart is over.
 */
export function modelMinimumMs(timing: FleetTiming): number {
  return Math.max(timing.joinMs, timing.restartMs);
}

export interface FleetSpec {
  readonly apps: number;
  readonly seed?: number;
  readonly subscriptions?: number;
  readonly timing?: FleetTiming;
}

export function timedFleet(spec: FleetSpec): Scenario {
  const timing = spec.timing ?? REALISTIC_TIMING;
  const fleet = generateFleet({ apps: spec.apps, seed: spec.seed ?? 1, ...(spec.subscriptions === undefined ? {} : { subscriptions: spec.subscriptions }) });
  return {
    ...fleet,
    restartDurationMs: timing.restartMs,
    longRunningOperationMs: timing.subnetLroMs,
    latency: {
      default: timing.otherMs,
      perOperation: {
        'DELETE Microsoft.Web/sites/virtualNetworkConnections': timing.disconnectMs,
        'DELETE Microsoft.Web/sites/slots/virtualNetworkConnections': timing.disconnectMs,
        'PATCH Microsoft.Web/sites': timing.joinMs,
        'PATCH Microsoft.Web/sites/slots': timing.joinMs,
      },
    },
  };
}

/** The subscriptions a generated fleet spreads over, as its resource ids name them. */
export function subscriptionsOf(scenario: Scenario): string[] {
  const subs = new Set<string>();
  for (const resource of scenario.resources) {
    const match = /^\/subscriptions\/([^/]+)\//i.exec(resource.id);
    if (match?.[1] !== undefined) subs.add(match[1]);
  }
  return [...subs].sort();
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}
