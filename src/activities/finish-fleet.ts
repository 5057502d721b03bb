/**
 * The end of a fleet: the summary recounted from the app records (the live counters are a convenience), the
 * gateway report (VPN gateways no app in the scope uses any more, and what they cost), every lease given back,
 * and the final status.
 */
import type { FleetDiscovery } from '../azure/discovery/fleet-discovery.js';
import { buildGatewayReport } from '../domain/gateway-report.js';
import { resourceIdKey } from '../domain/resource-id.js';
import { summarizeOutcomes } from '../state/app-record-store.js';
import { DISCOVERY_DOCUMENT } from './discover-fleet.js';
import type { EngineDependencies } from './engine-dependencies.js';

export function finishFleet(deps: EngineDependencies) {
  return async (input: { migrationId: string; canceled: boolean }): Promise<void> => {
    // Ids and outcomes only (not every record's JSON), read once for both the summary and the gateway report.
    const [outcomes, discovery] = await Promise.all([
      deps.state.apps.outcomes(input.migrationId),
      deps.state.documents.get<FleetDiscovery>(DISCOVERY_DOCUMENT, input.migrationId),
    ]);
    const summary = summarizeOutcomes(outcomes);
    const moved = new Set(outcomes.filter((r) => r.outcome === 'succeeded').map((r) => resourceIdKey(r.appId)));
    const gatewayReport =
      discovery === undefined
        ? undefined
        : buildGatewayReport(
            discovery.gateways,
            discovery.inventory.apps.flatMap((app) =>
              app.gatewayConnections.map((c) => ({ appId: app.id, gatewayVnetId: c.vnetId, moved: moved.has(resourceIdKey(app.id)) })),
            ),
          );
    await deps.state.leases.releaseAll(input.migrationId);
    await deps.state.migrations.update(input.migrationId, () => ({
      summary,
      status: input.canceled ? 'Canceled' : 'Completed',
      control: input.canceled ? 'cancel' : 'run',
      ...(gatewayReport === undefined ? {} : { gatewayReport }),
    }));
  };
}
