/**
 * Registers the migration engine with the Durable Functions runtime: its orchestrations and every activity.
 * Thin on purpose: the orchestrations live in src/orchestrations, the activities in src/activities.
 */
import * as df from 'durable-functions';
import { createEngineActivities } from '../activities/engine-activities.js';
import { ACTIVITIES, ORCHESTRATIONS } from '../orchestrations/engine-names.js';
import { finishApp, moveApp, prepareApp } from '../orchestrations/migrate-app.js';
import { migrateFleet } from '../orchestrations/migrate-fleet.js';
import { migratePlanGroup } from '../orchestrations/migrate-plan-group.js';
import { engineHost } from './engine-host.js';
import { sharedUntilFailure } from './shared-until-failure.js';

df.app.orchestration(ORCHESTRATIONS.fleet, migrateFleet);
df.app.orchestration(ORCHESTRATIONS.planGroup, migratePlanGroup);
df.app.orchestration(ORCHESTRATIONS.prepareApp, prepareApp);
df.app.orchestration(ORCHESTRATIONS.moveApp, moveApp);
df.app.orchestration(ORCHESTRATIONS.finishApp, finishApp);

// Built on the first activity; a failed build (a setting wrong, storage down) is tried again by the next one.
const activities = sharedUntilFailure(async () => createEngineActivities((await engineHost()).deps));

for (const name of Object.values(ACTIVITIES)) {
  df.app.activity(name, { handler: async (input: unknown) => (await activities())[name](input) });
}
