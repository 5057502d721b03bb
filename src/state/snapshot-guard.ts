import type { AppNetworkSnapshot, GatewayConnectionSnapshot, RoutingSwitches } from '../domain/migration-model.js';
import { LEGACY_ROUTING_SETTINGS } from '../domain/routing.js';

/**
 * What a network snapshot may carry, field by field. Snapshots hold setting NAMES and the values of the three
 * legacy routing switches, never any other setting value; anything else (an `appSettings` map, a connection
 * string smuggled into a gateway connection) could be a secret, so the store refuses it instead of stripping it:
 * the caller has a bug to fix.
 */
const SNAPSHOT_FIELDS: readonly (keyof AppNetworkSnapshot)[] = [
  'appId',
  'takenTime',
  'virtualNetworkSubnetId',
  'routing',
  'gatewayConnections',
  'appSettingNames',
  'legacyRoutingSettings',
];
const ROUTING_FIELDS: readonly (keyof RoutingSwitches)[] = ['allTraffic', 'applicationTraffic', 'contentShareTraffic', 'imagePullTraffic', 'backupRestoreTraffic'];
const CONNECTION_FIELDS: readonly (keyof GatewayConnectionSnapshot)[] = ['name', 'vnetResourceId', 'resyncRequired', 'dnsServers'];
const LEGACY_NAMES = new Set<string>(LEGACY_ROUTING_SETTINGS.map((n) => n.toLowerCase()));

/** Paths (e.g. `appSettings`, `gatewayConnections[0].password`) of everything the snapshot may not hold. */
export function disallowedSnapshotPaths(snapshot: unknown): string[] {
  const found: string[] = [];
  const record = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const extraKeys = (value: unknown, allowed: readonly string[], path: string): void => {
    const fields = record(value);
    if (fields === undefined) {
      found.push(path === '' ? '(not an object)' : path);
      return;
    }
    for (const key of Object.keys(fields)) if (!allowed.includes(key)) found.push(path === '' ? key : `${path}.${key}`);
  };

  extraKeys(snapshot, SNAPSHOT_FIELDS, '');
  const top = record(snapshot);
  if (top === undefined) return found;
  if (top['routing'] !== undefined) extraKeys(top['routing'], ROUTING_FIELDS, 'routing');
  const connections = top['gatewayConnections'];
  if (Array.isArray(connections)) connections.forEach((c, i) => extraKeys(c, CONNECTION_FIELDS, `gatewayConnections[${i}]`));
  else if (connections !== undefined) found.push('gatewayConnections');
  const names = top['appSettingNames'];
  if (names !== undefined && !(Array.isArray(names) && names.every((n) => typeof n === 'string'))) found.push('appSettingNames (names only)');
  const legacy = record(top['legacyRoutingSettings']);
  if (legacy !== undefined) {
    for (const [name, value] of Object.entries(legacy)) {
      if (!LEGACY_NAMES.has(name.toLowerCase()) || typeof value !== 'string') found.push(`legacyRoutingSettings.${name}`);
    }
  } else if (top['legacyRoutingSettings'] !== undefined) found.push('legacyRoutingSettings');
  return found;
}
