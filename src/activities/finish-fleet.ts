/**
 * The end of a fleet: the summary recounted from the app records (the live counters are a convenience), the
 * gateway report (VPN gateways no app in the scope uses any more, and what they cost), every lease given back,
 * and the final status.
 */
import type { FleetDiscovery } from '../azure/discovery/fleet-discovery.js';
import { buildGatewayReport } from '../domain/gateway-report.js';
import { resourceIdKey } from '../domain/resource-id.js';
import type { AppRecord } from '../state/app-record-store.js';
import { DISCOVERY_DOCUMENT } from './discover-fleet.js';
import type { EngineDependencies } from './engine-dependencies.js';

async function allApps(deps: EngineDependencies, migrationId: string): Promise<AppRecord[]> {
  const found: AppRecord[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.state.apps.list(migrationId, { top: 1000, ...(continuationToken === undefined ? {} : { continuationToken }) });
    found.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return found;
}

export function finishFleet(deps: EngineDependencies) {
  return async (input: { migrationId: string; canceled: boolean }): Promise<void> => {
    const [summary, discovery, records] = await Promise.all([
      deps.state.apps.summarize(input.migrationId),
      deps.state.documents.get<FleetDiscovery>(DISCOVERY_DOCUMENT, input.migrationId),
      allApps(deps, input.migrationId),
    ]);
    const moved = new Set(records.filter((r) => r.outcome === 'succeeded').map((r) => resourceIdKey(r.appId)));
    const gatewayReport =
      discovery === undefined
        ? undefined
        : buildGatewayReport(
            discovery.gateways,
            discovery.inventory.apps.flatMap((app) =>
              app.gatewayConnections.map((c) => ({ appId: app.id, gatewayVnetId: c.vnetId, moved: moved.has(resourceIdKey(app.id)) })),
            ),
          );
    const leases = (await deps.state.leases.listAll()).filter((l) => l.migrationId === input.migrationId).map((l) => l.appId);
    if (leases.length > 0) await deps.state.leases.release(input.migrationId, leases);
    await deps.state.migrations.update(input.migrationId, () => ({
      summary,
      status: input.canceled ? 'Canceled' : 'Completed',
      control: input.canceled ? 'cancel' : 'run',
      ...(gatewayReport === undefined ? {} : { gatewayReport }),
    }));
  };
}
