/**
 * Registers the migration engine with the Durable Functions runtime: the three orchestrations and every activity.
 * Thin on purpose: the orchestrations live in src/orchestrations, the activities in src/activities.
 */
import * as df from 'durable-functions';
import { createEngineActivities, type ActivityName } from '../activities/engine-activities.js';
import { ACTIVITIES, ORCHESTRATIONS } from '../orchestrations/engine-names.js';
import { migrateApp } from '../orchestrations/migrate-app.js';
import { migrateFleet } from '../orchestrations/migrate-fleet.js';
import { migratePlanGroup } from '../orchestrations/migrate-plan-group.js';
import { engineHost } from './engine-host.js';

df.app.orchestration(ORCHESTRATIONS.fleet, migrateFleet);
df.app.orchestration(ORCHESTRATIONS.planGroup, migratePlanGroup);
df.app.orchestration(ORCHESTRATIONS.app, migrateApp);

let activities: Promise<ReturnType<typeof createEngineActivities>> | undefined;
const activity = async (name: ActivityName) => {
  activities ??= engineHost().then(({ deps }) => createEngineActivities(deps));
  return (await activities)[name];
};

for (const name of Object.values(ACTIVITIES)) {
  df.app.activity(name, { handler: async (input: unknown) => (await activity(name))(input) });
}
