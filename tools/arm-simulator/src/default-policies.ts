import type { LatencyModel, RbacConfig, RequestPolicy, Scenario, SimClock } from './contract.js';
import type { FaultStore } from './fault-store.js';
import { createFaultPolicy } from './policy/faults.js';
import { createLatencyModel } from './policy/latency.js';
import { createRbacPolicy } from './policy/rbac.js';
import { createThrottlePolicy } from './policy/throttle.js';
import type { ThrottlePolicy } from './policy/throttle.js';

export interface DefaultPipeline {
  /** In ARM's order: faults, RBAC, throttling. */
  readonly policies: readonly RequestPolicy[];
  readonly latency: LatencyModel | undefined;
  /** Forgets throttling buckets (admin reset). */
  readonly reset: () => void;
}

/**
 * The policies a scenario asks for: the fault policy reading the admin FaultStore, RBAC when enabled (by the scenario
 * or the --rbac override; enabled without assignments denies everyone), throttling unless turned off.
 */
export function defaultPipeline(
  scenario: Scenario,
  clock: SimClock,
  faults: FaultStore,
  overrides: { readonly rbac?: boolean; readonly throttling?: boolean },
): DefaultPipeline {
  const policies: RequestPolicy[] = [createFaultPolicy({ store: faults })];
  const rbacEnabled = overrides.rbac ?? scenario.rbac?.enabled ?? false;
  if (rbacEnabled) {
    const config: RbacConfig = { enabled: true, roles: scenario.rbac?.roles ?? [], assignments: scenario.rbac?.assignments ?? [] };
    policies.push(createRbacPolicy(config));
  }
  let throttle: ThrottlePolicy | undefined;
  if (overrides.throttling ?? scenario.throttling ?? true) {
    throttle = createThrottlePolicy({ clock });
    policies.push(throttle);
  }
  return {
    policies,
    latency: scenario.latency === undefined ? undefined : createLatencyModel(scenario.latency),
    reset: () => throttle?.reset(),
  };
}
