/**
 * What the operations make of ARM's answers, without I/O: which virtualNetworkConnections entries are gateway-based,
 * what of the app settings may be kept, what a record says about a subnet, and how the routing switches are read
 * from either spelling of the site.
 */
import type { Site } from '@azure/arm-appservice';
import { describe, expect, it } from 'vitest';
import { findByName, gatewaySnapshotOf, gatewaySnapshots, isGatewayConnection } from '../../../src/azure/app-networking/gateway-connections.js';
import { sdkOptions } from '../../../src/azure/app-networking/operation-options.js';
import { legacyNameOf, settingsView } from '../../../src/azure/app-networking/settings-view.js';
import type { SiteRead } from '../../../src/azure/app-networking/app-target.js';
import { apiVersionOf, desiredFromPlan, differingKeys, routingOf, showsApplicationTraffic } from '../../../src/azure/app-networking/site-routing.js';
import { isDelegatedToWeb, prefixesOf, subnetView } from '../../../src/azure/app-networking/subnet-view.js';
import type { RoutingSwitches } from '../../../src/domain/migration-model.js';

const VNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-a';
const OFF: RoutingSwitches = { allTraffic: false, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false };
const read = (rawProperties: Record<string, unknown>, apiVersion = '2025-05-01'): SiteRead => ({ site: {} as Site, rawProperties, url: `https://arm.example/sites/a?api-version=${apiVersion}` });

describe('gateway connections', () => {
  it('a gateway-based entry is not swift and names a VNet; a regional entry names a subnet or is swift', () => {
    expect(isGatewayConnection({ vnetResourceId: VNET })).toBe(true);
    expect(isGatewayConnection({ vnetResourceId: VNET, isSwift: false })).toBe(true);
    expect(isGatewayConnection({ vnetResourceId: VNET.toUpperCase() })).toBe(true);
    expect(isGatewayConnection({ vnetResourceId: VNET, isSwift: true })).toBe(false);
    expect(isGatewayConnection({ vnetResourceId: `${VNET}/subnets/snet` })).toBe(false);
    expect(isGatewayConnection({ vnetResourceId: `${VNET}/extra` })).toBe(false);
    expect(isGatewayConnection({ vnetResourceId: `x${VNET.slice(1)}/` })).toBe(false);
    expect(isGatewayConnection({})).toBe(false);
  });

  it('a snapshot keeps the name, the VNet, the resync flag when known and DNS servers when set, sorted by name', () => {
    expect(gatewaySnapshotOf({ name: 'vnet-a', vnetResourceId: VNET })).toEqual({ name: 'vnet-a', vnetResourceId: VNET });
    expect(gatewaySnapshotOf({ name: 'vnet-a', vnetResourceId: VNET, resyncRequired: false, dnsServers: '' })).toEqual({ name: 'vnet-a', vnetResourceId: VNET, resyncRequired: false });
    expect(gatewaySnapshotOf({ name: 'vnet-a', vnetResourceId: VNET, resyncRequired: true, dnsServers: '10.0.0.4' })).toEqual({ name: 'vnet-a', vnetResourceId: VNET, resyncRequired: true, dnsServers: '10.0.0.4' });
    expect(gatewaySnapshotOf({})).toEqual({ name: '', vnetResourceId: '' });
    const entries = [
      { name: 'vnet-c', vnetResourceId: VNET },
      { name: 'swift', vnetResourceId: `${VNET}/subnets/snet`, isSwift: true },
      { name: 'Vnet-B', vnetResourceId: VNET },
      { name: 'vnet-a', vnetResourceId: VNET },
    ];
    expect(gatewaySnapshots(entries).map((c) => c.name)).toEqual(['vnet-a', 'Vnet-B', 'vnet-c']);
  });

  it('a snapshot has no key for a resync flag or DNS servers the entry does not have', () => {
    expect(gatewaySnapshotOf({ name: 'vnet-a', vnetResourceId: VNET })).toStrictEqual({ name: 'vnet-a', vnetResourceId: VNET });
    expect(Object.keys(gatewaySnapshotOf({ name: 'vnet-a', vnetResourceId: VNET, dnsServers: '' }))).toEqual(['name', 'vnetResourceId']);
  });

  it('finds an entry by name in any case', () => {
    const entries = [{ name: 'vnet-a' }, { name: 'VNET-B' }, {}];
    expect(findByName(entries, 'vnet-b')).toBe(entries[1]);
    expect(findByName(entries, 'VNET-A')).toBe(entries[0]);
    expect(findByName(entries, 'vnet-c')).toBeUndefined();
  });
});

describe('settings', () => {
  it('a legacy name in any spelling stands for its canonical name', () => {
    expect(legacyNameOf('website_vnet_route_all')).toBe('WEBSITE_VNET_ROUTE_ALL');
    expect(legacyNameOf('WEBSITE_CONTENTOVERVNET')).toBe('WEBSITE_CONTENTOVERVNET');
    expect(legacyNameOf('APP_ENV')).toBeUndefined();
  });

  it('keeps every name, sorted, and the legacy values only, under their canonical names', () => {
    expect(settingsView({ b: 'x', WEBSITE_PULL_IMAGE_OVER_VNET: 'true', a: 'secret', website_vnet_route_all: '1', B: 'y' })).toEqual({
      names: ['a', 'b', 'B', 'WEBSITE_PULL_IMAGE_OVER_VNET', 'website_vnet_route_all'],
      legacyRoutingSettings: { WEBSITE_PULL_IMAGE_OVER_VNET: 'true', WEBSITE_VNET_ROUTE_ALL: '1' },
    });
    expect(settingsView({})).toEqual({ names: [], legacyRoutingSettings: {} });
  });
});

describe('subnets', () => {
  it('reads the prefix or the prefix list, the Microsoft.Web delegation in any case, and the record view', () => {
    expect(prefixesOf({ addressPrefix: '10.0.0.0/26', addressPrefixes: ['10.1.0.0/26'] })).toEqual(['10.0.0.0/26']);
    expect(prefixesOf({ addressPrefixes: ['10.1.0.0/26', '10.2.0.0/26'] })).toEqual(['10.1.0.0/26', '10.2.0.0/26']);
    expect(prefixesOf({})).toEqual([]);
    expect(isDelegatedToWeb({ delegations: [{ serviceName: 'Microsoft.Sql/servers' }, { serviceName: 'microsoft.web/serverfarms' }] })).toBe(true);
    expect(isDelegatedToWeb({ delegations: [{ serviceName: 'Microsoft.Web/hostingEnvironments' }, {}] })).toBe(false);
    expect(isDelegatedToWeb({})).toBe(false);
    expect(
      subnetView({ addressPrefix: '10.0.0.0/26', delegations: [{}, { serviceName: 'Microsoft.Web/serverFarms' }], serviceAssociationLinks: [{}, { link: '/plan' }], provisioningState: 'Succeeded' }),
    ).toEqual({ addressPrefixes: ['10.0.0.0/26'], delegations: ['Microsoft.Web/serverFarms'], serviceAssociationLinks: ['/plan'], provisioningState: 'Succeeded' });
    expect(subnetView({})).toEqual({ addressPrefixes: [], delegations: [], serviceAssociationLinks: [], provisioningState: null });
  });
});

describe('routing switches', () => {
  it('reads the object form, the flat form, and config/web for applicationTraffic when the site shows neither', () => {
    expect(routingOf(read({ outboundVnetRouting: { allTraffic: true, applicationTraffic: false, contentShareTraffic: true, imagePullTraffic: true, backupRestoreTraffic: true } }), true)).toEqual({
      allTraffic: true, applicationTraffic: false, contentShareTraffic: true, imagePullTraffic: true, backupRestoreTraffic: true,
    });
    expect(routingOf(read({ vnetRouteAllEnabled: true, vnetImagePullEnabled: true, vnetContentShareEnabled: true, vnetBackupRestoreEnabled: true }), false)).toEqual({
      allTraffic: false, applicationTraffic: true, contentShareTraffic: true, imagePullTraffic: true, backupRestoreTraffic: true,
    });
    // A switch missing from the object falls back to its flat flag; values that are not booleans count as absent.
    expect(routingOf(read({ outboundVnetRouting: { applicationTraffic: 'yes' }, vnetImagePullEnabled: true, vnetRouteAllEnabled: 'true' }), true)).toEqual({ ...OFF, applicationTraffic: true, imagePullTraffic: true });
    expect(routingOf(read({ outboundVnetRouting: null }), true)).toEqual({ ...OFF, applicationTraffic: true });
    expect(routingOf(read({}))).toEqual(OFF);
  });

  it('the site shows applicationTraffic only as a boolean, in either form', () => {
    expect(showsApplicationTraffic(read({ outboundVnetRouting: { applicationTraffic: false } }))).toBe(true);
    expect(showsApplicationTraffic(read({ vnetRouteAllEnabled: false }))).toBe(true);
    expect(showsApplicationTraffic(read({ outboundVnetRouting: { applicationTraffic: 'true' }, vnetRouteAllEnabled: 1 }))).toBe(false);
    expect(showsApplicationTraffic(read({ outboundVnetRouting: null }))).toBe(false);
    expect(showsApplicationTraffic(read({ outboundVnetRouting: { allTraffic: true } }))).toBe(false);
  });

  it('the api-version is read from the URL of the read', () => {
    expect(apiVersionOf(read({}, '2024-04-01'))).toBe('2024-04-01');
    expect(apiVersionOf({ ...read({}), url: 'https://arm.example/sites/a' })).toBe('');
  });

  it('a plan in either shape is the same switches; only the planned switches that differ are written', () => {
    expect(desiredFromPlan({ outboundVnetRouting: { applicationTraffic: true, imagePullTraffic: false, contentShareTraffic: true } })).toEqual({ applicationTraffic: true, imagePullTraffic: false, contentShareTraffic: true });
    expect(desiredFromPlan({ vnetRouteAllEnabled: true, vnetImagePullEnabled: false, vnetContentShareEnabled: true })).toEqual({ applicationTraffic: true, imagePullTraffic: false, contentShareTraffic: true });
    expect(differingKeys(OFF, { applicationTraffic: true, imagePullTraffic: false, backupRestoreTraffic: true })).toEqual(['applicationTraffic', 'backupRestoreTraffic']);
    expect(differingKeys({ ...OFF, allTraffic: true }, { allTraffic: false, contentShareTraffic: true })).toEqual(['allTraffic', 'contentShareTraffic']);
    expect(differingKeys(OFF, {})).toEqual([]);
  });
});

describe('sdkOptions', () => {
  it('passes the abort signal and the poll interval only when given', () => {
    const signal = new AbortController().signal;
    const clientsFor = (): never => {
      throw new Error('not called');
    };
    expect(sdkOptions({ clientsFor })).toEqual({});
    expect(sdkOptions({ clientsFor, abortSignal: signal, pollIntervalInMs: 5 })).toEqual({ abortSignal: signal, updateIntervalInMs: 5 });
  });
});
