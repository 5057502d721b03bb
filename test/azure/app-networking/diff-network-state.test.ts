/** diffNetworkState field by field: what a rollback check reports, in words, for each way an app can differ from its snapshot. */
import { describe, expect, it } from 'vitest';
import { diffNetworkState } from '../../../src/azure/app-networking/index.js';
import type { AppNetworkSnapshot, RoutingSwitches } from '../../../src/domain/migration-model.js';

const VNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-a';
const OTHER_VNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-b';
const SUBNET = `${VNET}/subnets/snet-apps`;
const OFF: RoutingSwitches = { allTraffic: false, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false };

const snapshot: AppNetworkSnapshot = {
  appId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app1',
  takenTime: '2026-12-03T00:00:00.000Z',
  virtualNetworkSubnetId: null,
  routing: OFF,
  gatewayConnections: [{ name: 'vnet-a', vnetResourceId: VNET }],
  appSettingNames: ['APP_ENV', 'WEBSITE_VNET_ROUTE_ALL'],
  legacyRoutingSettings: { WEBSITE_VNET_ROUTE_ALL: '1' },
};
const now = (change: Partial<AppNetworkSnapshot>): AppNetworkSnapshot => ({ ...snapshot, ...change });

describe('diffNetworkState', () => {
  it('is empty for the same state, taken later, with ids in another case', () => {
    expect(diffNetworkState(snapshot, now({ takenTime: 'later', appId: snapshot.appId.toUpperCase(), gatewayConnections: [{ name: 'VNET-A', vnetResourceId: VNET.toLowerCase() }] }))).toEqual([]);
    const regional = now({ virtualNetworkSubnetId: SUBNET, gatewayConnections: [] });
    expect(diffNetworkState(regional, { ...regional, virtualNetworkSubnetId: SUBNET.toUpperCase() })).toEqual([]);
  });

  it('names another app and another regional subnet, none shown as none', () => {
    expect(diffNetworkState(snapshot, now({ appId: '/x/app2' }))).toEqual([`appId: snapshot '${snapshot.appId}', now '/x/app2'`]);
    expect(diffNetworkState(snapshot, now({ virtualNetworkSubnetId: SUBNET }))).toEqual([`virtualNetworkSubnetId: snapshot none, now '${SUBNET}'`]);
    expect(diffNetworkState(now({ virtualNetworkSubnetId: SUBNET }), snapshot)).toEqual([`virtualNetworkSubnetId: snapshot '${SUBNET}', now none`]);
  });

  it('names every routing switch that differs, in ROUTING_KEYS order', () => {
    const on: RoutingSwitches = { allTraffic: true, applicationTraffic: true, contentShareTraffic: true, imagePullTraffic: true, backupRestoreTraffic: true };
    expect(diffNetworkState(snapshot, now({ routing: on }))).toEqual([
      'routing.allTraffic: snapshot false, now true',
      'routing.applicationTraffic: snapshot false, now true',
      'routing.contentShareTraffic: snapshot false, now true',
      'routing.imagePullTraffic: snapshot false, now true',
      'routing.backupRestoreTraffic: snapshot false, now true',
    ]);
  });

  it('names a gateway connection that went, came, moved to another VNet, or changed its DNS servers or resync flag', () => {
    expect(diffNetworkState(snapshot, now({ gatewayConnections: [] }))).toEqual([`gatewayConnections[vnet-a]: snapshot connected to ${VNET}, now missing`]);
    expect(diffNetworkState(snapshot, now({ gatewayConnections: [...snapshot.gatewayConnections, { name: 'vnet-b', vnetResourceId: OTHER_VNET }] }))).toEqual([
      `gatewayConnections[vnet-b]: snapshot absent, now connected to ${OTHER_VNET}`,
    ]);
    expect(diffNetworkState(snapshot, now({ gatewayConnections: [{ name: 'vnet-a', vnetResourceId: OTHER_VNET, dnsServers: '10.0.0.4', resyncRequired: true }] }))).toEqual([
      `gatewayConnections[vnet-a].vnetResourceId: snapshot '${VNET}', now '${OTHER_VNET}'`,
      "gatewayConnections[vnet-a].dnsServers: snapshot absent, now '10.0.0.4'",
      'gatewayConnections[vnet-a].resyncRequired: snapshot false, now true',
    ]);
    const withDns = now({ gatewayConnections: [{ name: 'vnet-a', vnetResourceId: VNET, dnsServers: '10.0.0.4', resyncRequired: true }] });
    expect(diffNetworkState(withDns, snapshot)).toEqual([
      "gatewayConnections[vnet-a].dnsServers: snapshot '10.0.0.4', now absent",
      'gatewayConnections[vnet-a].resyncRequired: snapshot true, now false',
    ]);
    // An empty DNS list and none, resync false and unset: the same.
    expect(diffNetworkState(snapshot, now({ gatewayConnections: [{ name: 'vnet-a', vnetResourceId: VNET, dnsServers: '', resyncRequired: false }] }))).toEqual([]);
  });

  it('compares setting names as sets with their exact spelling, and the legacy values', () => {
    expect(diffNetworkState(snapshot, now({ appSettingNames: ['WEBSITE_VNET_ROUTE_ALL', 'APP_ENV'] }))).toEqual([]);
    expect(diffNetworkState(snapshot, now({ appSettingNames: ['app_env', 'WEBSITE_VNET_ROUTE_ALL'] }))).toEqual([
      "appSettingNames: 'APP_ENV' was present, now missing",
      "appSettingNames: 'app_env' was absent, now present",
    ]);
    expect(diffNetworkState(snapshot, now({ legacyRoutingSettings: { WEBSITE_VNET_ROUTE_ALL: '0', WEBSITE_PULL_IMAGE_OVER_VNET: 'true' } }))).toEqual([
      "legacyRoutingSettings.WEBSITE_VNET_ROUTE_ALL: snapshot '1', now '0'",
      "legacyRoutingSettings.WEBSITE_PULL_IMAGE_OVER_VNET: snapshot absent, now 'true'",
    ]);
  });
});
