/**
 * What every per-app activity starts from: the app's record (with the planner's per-app plan) and the options the
 * migration was started with. Both come from Table Storage, so orchestration inputs stay small.
 */
import type { AppMigration, MigrationStep } from '../domain/plan-builder.js';
import type { MigrationRequest } from '../domain/migration-request.js';
import type { AppRecord } from '../state/app-record-store.js';
import { StateRecordNotFoundError } from '../state/state-errors.js';
import type { EngineDependencies } from './engine-dependencies.js';

export interface PlannedApp {
  readonly record: AppRecord;
  readonly plan: AppMigration;
  readonly request: MigrationRequest;
}

export async function loadPlannedApp(deps: EngineDependencies, migrationId: string, appId: string): Promise<PlannedApp> {
  const [record, migration] = await Promise.all([deps.state.apps.get(migrationId, appId), deps.state.migrations.get(migrationId)]);
  if (record === undefined || migration === undefined) {
    throw new StateRecordNotFoundError(`App ${appId} in migration ${migrationId}`, { migrationId, appId });
  }
  if (record.plan === undefined) {
    throw new StateRecordNotFoundError(`A migration plan for ${appId} in migration ${migrationId} (the app was skipped)`, { migrationId, appId });
  }
  return { record, plan: record.plan, request: migration.request };
}

export function stepOf<K extends MigrationStep['kind']>(plan: AppMigration, kind: K): Extract<MigrationStep, { kind: K }> | undefined {
  return plan.steps.find((s): s is Extract<MigrationStep, { kind: K }> => s.kind === kind);
}
