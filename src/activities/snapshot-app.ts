/**
 * Step 1 of an app's move: read its networking state once, before anything changes, and keep it (write-once: a
 * re-run keeps the first snapshot, taken before any change). Also the baseline: the app must be healthy through
 * its gateway before it is touched, and each dependency's latency is measured for the before/after report.
 */
import { readAppNetworkState } from '../azure/app-networking/index.js';
import { MigratorError } from '../domain/errors.js';
import type { StepResult } from '../domain/migration-model.js';
import { resourceIdKey } from '../domain/resource-id.js';
import type { AppRef } from '../orchestrations/engine-contract.js';
import { loadPlannedApp, stepOf } from './app-context.js';
import { checkReachability } from './app-reachability.js';
import { armOptions } from './arm-options.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { runStep } from './step-result.js';
import { moveCount } from './summary-counts.js';

/** The app is no longer what discovery saw (someone changed its integration since): planning it again is needed. */
export class AppChangedSinceDiscoveryError extends MigratorError {
  readonly code = 'AppChangedSinceDiscovery';
  constructor(appId: string, what: string) {
    super(`${appId} changed since it was discovered: ${what}. Nothing was changed; start a new migration to plan it again.`, false, { details: { appId } });
  }
}

export interface SnapshotResult {
  readonly healthyBefore: boolean;
  readonly problems: readonly string[];
}

export function snapshotApp(deps: EngineDependencies) {
  return (input: AppRef): Promise<StepResult<SnapshotResult>> =>
    runStep(async () => {
      const { record, plan, request } = await loadPlannedApp(deps, input.migrationId, input.appId);
      if ((await deps.state.snapshots.get(input.migrationId, input.appId)) === undefined) {
        const current = await readAppNetworkState(input.appId, armOptions(deps));
        const gateway = stepOf(plan, 'disconnect-gateway');
        if (current.virtualNetworkSubnetId !== null) throw new AppChangedSinceDiscoveryError(input.appId, `it is regionally integrated with ${current.virtualNetworkSubnetId}`);
        if (gateway !== undefined && !current.gatewayConnections.some((c) => c.name.toLowerCase() === gateway.connectionName.toLowerCase() || resourceIdKey(c.vnetResourceId) === resourceIdKey(gateway.vnetId))) {
          throw new AppChangedSinceDiscoveryError(input.appId, `its gateway-based connection to ${gateway.vnetId} is gone`);
        }
        await deps.state.snapshots.putOnce(input.migrationId, current);
      }
      const baseline = await checkReachability(deps, record, request.verify.healthPath, (listed) => [...listed, ...request.verify.dependencies]);
      const before = baseline.latencyInMs;
      await deps.state.apps.update(input.migrationId, input.appId, (current) => ({
        phase: 'snapshot',
        outcome: 'inProgress',
        startedTime: current.startedTime ?? deps.now().toISOString(),
        latency: { ...current.latency, before: current.latency?.before ?? before },
      }));
      if (record.outcome === 'pending') await moveCount(deps, input.migrationId, 'pending', 'inProgress');
      return { healthyBefore: baseline.healthy, problems: baseline.problems };
    });
}
