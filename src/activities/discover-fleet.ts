/**
 * Reads the migration's scope over ARM and keeps what it found in Table Storage (the inventory of a large fleet
 * is megabytes: it never travels through orchestration history). Re-running it reuses the stored discovery, so a
 * replay or a retry never re-reads the fleet or plans from a different picture of it.
 */
import { discoverFleet as readFleet } from '../azure/discovery/discover-fleet.js';
import type { FleetDiscovery } from '../azure/discovery/fleet-discovery.js';
import type { StepResult } from '../domain/migration-model.js';
import { StateRecordNotFoundError } from '../state/state-errors.js';
import type { MigrationRef } from '../orchestrations/engine-contract.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { runStep } from './step-result.js';

export const DISCOVERY_DOCUMENT = 'discovery';

export function discoverFleet(deps: EngineDependencies) {
  return (input: MigrationRef): Promise<StepResult<{ apps: number }>> =>
    runStep(async () => {
      const stored = await deps.state.documents.get<FleetDiscovery>(DISCOVERY_DOCUMENT, input.migrationId);
      if (stored !== undefined) return { apps: stored.apps.length };
      const migration = await deps.state.migrations.get(input.migrationId);
      if (migration === undefined) throw new StateRecordNotFoundError(`Migration ${input.migrationId}`, { migrationId: input.migrationId });
      const discovery = await readFleet(migration.request.scope, { clientsFor: deps.clientsFor });
      await deps.state.documents.put(DISCOVERY_DOCUMENT, input.migrationId, discovery);
      return { apps: discovery.apps.length };
    });
}
