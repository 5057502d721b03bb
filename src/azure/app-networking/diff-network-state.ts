import type { AppNetworkSnapshot, GatewayConnectionSnapshot } from '../../domain/migration-model.js';
import { LEGACY_ROUTING_SETTINGS } from '../../domain/routing.js';
import { ROUTING_KEYS } from './site-routing.js';

const show = (value: string | boolean | null | undefined): string => (value === undefined ? 'absent' : value === null ? 'none' : typeof value === 'string' ? `'${value}'` : String(value));
/** ARM compares ids case-insensitively; so does a rollback check. */
const sameId = (a: string | null | undefined, b: string | null | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * How `actual` differs from `expected`, field by field, in words ("routing.applicationTraffic: snapshot false, now
 * true"); empty when a rollback restored the app exactly. takenTime is not compared. Setting names are compared as
 * sets (exact spelling: on Linux the name is the environment variable), resource ids case-insensitively.
 */
export function diffNetworkState(expected: AppNetworkSnapshot, actual: AppNetworkSnapshot): string[] {
  const out: string[] = [];
  const field = (name: string, was: string | boolean | null | undefined, now: string | boolean | null | undefined): void => {
    out.push(`${name}: snapshot ${show(was)}, now ${show(now)}`);
  };
  if (!sameId(expected.appId, actual.appId)) field('appId', expected.appId, actual.appId);
  if (!sameId(expected.virtualNetworkSubnetId, actual.virtualNetworkSubnetId)) field('virtualNetworkSubnetId', expected.virtualNetworkSubnetId, actual.virtualNetworkSubnetId);
  for (const key of ROUTING_KEYS) if (expected.routing[key] !== actual.routing[key]) field(`routing.${key}`, expected.routing[key], actual.routing[key]);
  out.push(...diffConnections(expected.gatewayConnections, actual.gatewayConnections));
  const nowNames = new Set(actual.appSettingNames);
  const wasNames = new Set(expected.appSettingNames);
  for (const name of expected.appSettingNames) if (!nowNames.has(name)) out.push(`appSettingNames: '${name}' was present, now missing`);
  for (const name of actual.appSettingNames) if (!wasNames.has(name)) out.push(`appSettingNames: '${name}' was absent, now present`);
  for (const name of LEGACY_ROUTING_SETTINGS) {
    if (expected.legacyRoutingSettings[name] !== actual.legacyRoutingSettings[name]) field(`legacyRoutingSettings.${name}`, expected.legacyRoutingSettings[name], actual.legacyRoutingSettings[name]);
  }
  return out;
}

function diffConnections(expected: readonly GatewayConnectionSnapshot[], actual: readonly GatewayConnectionSnapshot[]): string[] {
  const out: string[] = [];
  const byName = (list: readonly GatewayConnectionSnapshot[]): Map<string, GatewayConnectionSnapshot> => new Map(list.map((c) => [c.name.toLowerCase(), c]));
  const now = byName(actual);
  const was = byName(expected);
  for (const [key, before] of was) {
    const after = now.get(key);
    const at = `gatewayConnections[${before.name}]`;
    if (after === undefined) {
      out.push(`${at}: snapshot connected to ${before.vnetResourceId}, now missing`);
      continue;
    }
    if (!sameId(before.vnetResourceId, after.vnetResourceId)) out.push(`${at}.vnetResourceId: snapshot ${show(before.vnetResourceId)}, now ${show(after.vnetResourceId)}`);
    if ((before.dnsServers ?? '') !== (after.dnsServers ?? '')) out.push(`${at}.dnsServers: snapshot ${show(before.dnsServers)}, now ${show(after.dnsServers)}`);
    if ((before.resyncRequired ?? false) !== (after.resyncRequired ?? false)) {
      out.push(`${at}.resyncRequired: snapshot ${show(before.resyncRequired ?? false)}, now ${show(after.resyncRequired ?? false)}`);
    }
  }
  for (const [key, after] of now) if (!was.has(key)) out.push(`gatewayConnections[${after.name}]: snapshot absent, now connected to ${after.vnetResourceId}`);
  return out;
}
