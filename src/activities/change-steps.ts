/**
 * The steps that change an app, each a thin, idempotent call into src/azure/app-networking (which reads before it
 * writes, and reads back after an ambiguous answer) plus its audit row and the app's phase. The move itself (the
 * downtime window) is move-to-regional.ts.
 */
import {
  applyRouting as applyArmRouting,
  removeLegacySettings as removeArmLegacySettings,
  type ChangeRecord,
} from '../azure/app-networking/index.js';
import type { AppPhase, StepResult } from '../domain/migration-model.js';
import type { AppRef, StepTiming } from '../orchestrations/engine-contract.js';
import { loadPlannedApp, type PlannedApp } from './app-context.js';
import { armOptions } from './arm-options.js';
import { auditChange } from './audit-change.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { runStep } from './step-result.js';

function changeStep(deps: EngineDependencies, phase: AppPhase, change: (planned: PlannedApp) => Promise<ChangeRecord | undefined>) {
  return (input: AppRef): Promise<StepResult<StepTiming>> =>
    runStep(async () => {
      const planned = await loadPlannedApp(deps, input.migrationId, input.appId);
      const startedTime = deps.now().toISOString();
      if (planned.record.phase !== phase) await deps.state.apps.update(input.migrationId, input.appId, () => ({ phase }));
      const record = await change(planned);
      if (record !== undefined) await auditChange(deps, input.migrationId, input.appId, record);
      return { startedTime, finishedTime: deps.now().toISOString() };
    });
}

export function applyRouting(deps: EngineDependencies) {
  return changeStep(deps, 'routing', ({ plan }) => applyArmRouting(plan.appId, plan.routing.siteProperties, armOptions(deps)));
}

export function removeLegacySettings(deps: EngineDependencies) {
  return changeStep(deps, 'cleanup', ({ plan }) =>
    plan.routing.legacySettingsToRemove.length === 0 ? Promise.resolve(undefined) : removeArmLegacySettings(plan.appId, plan.routing.legacySettingsToRemove, armOptions(deps)),
  );
}
