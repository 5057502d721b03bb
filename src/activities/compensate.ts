/**
 * The undo of one step, run while a failed app's compensation stack unwinds. Each restores only its own fields
 * from the snapshot and is idempotent (nothing to undo is success), because the step it undoes may or may not
 * have been applied when it failed.
 */
import {
  connectRegional,
  diffNetworkState,
  disconnectRegional,
  readAppNetworkState,
  reconnectGateway,
  restoreLegacySettings,
  restoreRouting,
  type ChangeRecord,
} from '../azure/app-networking/index.js';
import type { AppNetworkSnapshot, StepResult } from '../domain/migration-model.js';
import type { LegacyRoutingSettingName } from '../domain/routing.js';
import type { AppRef, CompensateInput } from '../orchestrations/engine-contract.js';
import { StateRecordNotFoundError } from '../state/state-errors.js';
import { loadPlannedApp } from './app-context.js';
import { armOptions } from './arm-options.js';
import { auditChange } from './audit-change.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { runStep } from './step-result.js';

async function snapshotOf(deps: EngineDependencies, input: AppRef): Promise<AppNetworkSnapshot> {
  const snapshot = await deps.state.snapshots.get(input.migrationId, input.appId);
  if (snapshot === undefined) throw new StateRecordNotFoundError(`The snapshot of ${input.appId} in migration ${input.migrationId}`, { ...input });
  return snapshot;
}

export function compensate(deps: EngineDependencies) {
  return (input: CompensateInput): Promise<StepResult<{ applied: number }>> =>
    runStep(async () => {
      const snapshot = await snapshotOf(deps, input);
      const { plan } = await loadPlannedApp(deps, input.migrationId, input.appId);
      await deps.state.apps.update(input.migrationId, input.appId, () => ({ phase: 'rollback' }));
      const options = armOptions(deps);
      const changes: ChangeRecord[] = [];
      switch (input.compensation) {
        case 'restore-legacy-settings': {
          const removed = new Set(plan.routing.legacySettingsToRemove.map((n) => n.toLowerCase()));
          const values = Object.fromEntries(
            Object.entries(snapshot.legacyRoutingSettings).filter(([name]) => removed.has(name.toLowerCase())),
          ) as Partial<Record<LegacyRoutingSettingName, string>>;
          if (Object.keys(values).length > 0) changes.push(await restoreLegacySettings(input.appId, values, options));
          break;
        }
        case 'disconnect-regional':
          changes.push(
            snapshot.virtualNetworkSubnetId === null
              ? await disconnectRegional(input.appId, options)
              : await connectRegional(input.appId, snapshot.virtualNetworkSubnetId, options),
          );
          break;
        case 'reconnect-gateway':
          for (const connection of snapshot.gatewayConnections) changes.push(await reconnectGateway(input.appId, connection, options));
          break;
        case 'restore-routing':
          changes.push(await restoreRouting(input.appId, snapshot.routing, options));
          break;
      }
      for (const change of changes) await auditChange(deps, input.migrationId, input.appId, change);
      return { applied: changes.filter((c) => c.applied).length };
    });
}

/** After the unwinding: the app's ARM state against its snapshot, field by field (empty = exactly as it was). */
export function compareWithSnapshot(deps: EngineDependencies) {
  return (input: AppRef): Promise<StepResult<{ differences: string[] }>> =>
    runStep(async () => {
      const snapshot = await snapshotOf(deps, input);
      const now = await readAppNetworkState(input.appId, armOptions(deps));
      return { differences: diffNetworkState(snapshot, now) };
    });
}
