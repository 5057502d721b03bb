/**
 * Every activity of the engine, built over one set of dependencies (temporal's activities-dependency-injection
 * shape): the registrations in src/functions stay one line each, and tests run the same functions.
 */
import { ACTIVITIES } from '../orchestrations/engine-names.js';
import { applyRouting, removeLegacySettings } from './change-steps.js';
import { compareWithSnapshot, compensate } from './compensate.js';
import { discoverFleet } from './discover-fleet.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { ensureSubnet } from './ensure-subnet.js';
import { finishFleet } from './finish-fleet.js';
import { loadPlanGroup } from './load-plan-group.js';
import { moveToRegional } from './move-to-regional.js';
import { planFleet } from './plan-fleet.js';
import { recordAppOutcome, skipApps } from './record-outcome.js';
import { rollBackGroupSubnets } from './roll-back-group-subnets.js';
import { readControl, setMigrationStatus } from './set-migration-status.js';
import { snapshotApp } from './snapshot-app.js';
import { verifyApp } from './verify-app.js';

export type ActivityName = (typeof ACTIVITIES)[keyof typeof ACTIVITIES];
// Inputs come from orchestration history as JSON; each activity knows its own input type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActivityHandler = (input: any) => Promise<unknown>;

export function createEngineActivities(deps: EngineDependencies): Record<ActivityName, ActivityHandler> {
  return {
    [ACTIVITIES.setMigrationStatus]: setMigrationStatus(deps),
    [ACTIVITIES.discoverFleet]: discoverFleet(deps),
    [ACTIVITIES.planFleet]: planFleet(deps),
    [ACTIVITIES.loadPlanGroup]: loadPlanGroup(deps),
    [ACTIVITIES.readControl]: readControl(deps),
    [ACTIVITIES.ensureSubnet]: ensureSubnet(deps),
    [ACTIVITIES.rollBackGroupSubnets]: rollBackGroupSubnets(deps),
    [ACTIVITIES.snapshotApp]: snapshotApp(deps),
    [ACTIVITIES.applyRouting]: applyRouting(deps),
    [ACTIVITIES.moveToRegional]: moveToRegional(deps),
    [ACTIVITIES.verifyApp]: verifyApp(deps),
    [ACTIVITIES.removeLegacySettings]: removeLegacySettings(deps),
    [ACTIVITIES.compensate]: compensate(deps),
    [ACTIVITIES.compareWithSnapshot]: compareWithSnapshot(deps),
    [ACTIVITIES.recordAppOutcome]: recordAppOutcome(deps),
    [ACTIVITIES.skipApps]: skipApps(deps),
    [ACTIVITIES.finishFleet]: finishFleet(deps),
  };
}
