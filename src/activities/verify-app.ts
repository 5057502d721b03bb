/**
 * Verification, one check (the orchestration polls it on durable timers until it passes or time runs out). ARM
 * state: the regional connection is on the planned subnet, no gateway-based connection is left, the routing
 * switches are as planned, and (final check) the legacy settings are gone. Reachability: the health path answers
 * 200 and every dependency that was reachable before the move still is (tcpping from inside the app).
 */
import { desiredFromPlan, readAppNetworkState } from '../azure/app-networking/index.js';
import type { RoutingSwitches, StepResult } from '../domain/migration-model.js';
import { resourceIdKey } from '../domain/resource-id.js';
import type { VerifyInput, VerifyResult } from '../orchestrations/engine-contract.js';
import { loadPlannedApp } from './app-context.js';
import { checkReachability } from './app-reachability.js';
import { armOptions } from './arm-options.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { runStep } from './step-result.js';

export function verifyApp(deps: EngineDependencies) {
  return (input: VerifyInput): Promise<StepResult<VerifyResult>> =>
    runStep(async () => {
      const { record, plan, request } = await loadPlannedApp(deps, input.migrationId, input.appId);
      if (record.phase !== 'verify' && !input.final) await deps.state.apps.update(input.migrationId, input.appId, () => ({ phase: 'verify' }));
      const problems: string[] = [];
      const state = await readAppNetworkState(input.appId, armOptions(deps));
      if (state.virtualNetworkSubnetId === null || resourceIdKey(state.virtualNetworkSubnetId) !== resourceIdKey(plan.subnetId)) {
        problems.push(`regional integration is ${state.virtualNetworkSubnetId ?? 'absent'}, planned ${plan.subnetId}`);
      }
      if (state.gatewayConnections.length > 0) problems.push(`gateway-based connections remain: ${state.gatewayConnections.map((c) => c.name).join(', ')}`);
      for (const [key, value] of Object.entries(desiredFromPlan(plan.routing.siteProperties)) as [keyof RoutingSwitches, boolean][]) {
        if (state.routing[key] !== value) problems.push(`routing ${key} is ${String(state.routing[key])}, planned ${String(value)}`);
      }
      if (input.final) {
        const names = new Set(state.appSettingNames.map((n) => n.toLowerCase()));
        const left = plan.routing.legacySettingsToRemove.filter((n) => names.has(n.toLowerCase()));
        if (left.length > 0) problems.push(`legacy routing settings still present: ${left.join(', ')}`);
      }
      const before = record.latency?.before ?? {};
      const reachable = Object.keys(before).filter((target) => (before[target] ?? -1) >= 0);
      const reach = await checkReachability(deps, record, request.verify.healthPath, () => reachable);
      problems.push(...reach.problems);
      const verified = problems.length === 0;
      if (verified && !input.final) {
        await deps.state.apps.update(input.migrationId, input.appId, (current) => ({ latency: { ...current.latency, after: reach.latencyInMs } }));
      }
      return { verified, problems, checkedTime: deps.now().toISOString() };
    });
}
