/**
 * The bundled demo fleet: 63 apps over 3 subscriptions and 2 regions, covering every eligibility case the migrator
 * must handle (tools/arm-simulator/docs/simulator-world.md lists each case with its app names). App settings hold host names only.
 */
import type { Scenario } from '../contract.js';
import {
  appServicePlan, appSettings, gatewayConnection, networkId, networkSecurityGroup, peeringPair, site, SKUS,
  virtualNetwork, vpnGateway, webId, type PlanSpec, type SubnetSpec,
} from './arm-bodies.js';
import { FleetBuilder } from './fleet-builder.js';

export const DEMO_SUBSCRIPTIONS = {
  prod: '6f1c2a8e-4b3d-4e5f-9a10-000000000001',
  corp: '6f1c2a8e-4b3d-4e5f-9a10-000000000002',
  shared: '6f1c2a8e-4b3d-4e5f-9a10-000000000003',
} as const;

const WE = 'westeurope';
const NE = 'northeurope';
const { prod: PROD, corp: CORP, shared: SHARED } = DEMO_SUBSCRIPTIONS;

function gatewayVnet(b: FleetBuilder, sub: string, rg: string, name: string, location: string, space: string, data: string, gatewaySubnet: string, pool: string, extraSubnets: readonly SubnetSpec[] = []): { vnetId: string; gatewayId: string } {
  const vnetId = networkId(sub, rg, 'virtualNetworks', name);
  const nsgId = networkId(sub, rg, 'networkSecurityGroups', `nsg-${name}-data`);
  const gatewayId = networkId(sub, rg, 'virtualNetworkGateways', `gw-${name}`);
  b.add('nsg', networkSecurityGroup(nsgId, location));
  b.add('vnet', virtualNetwork(vnetId, location, [space], [{ name: 'snet-data', prefix: data, nsgId }, ...extraSubnets, { name: 'GatewaySubnet', prefix: gatewaySubnet }]));
  b.add('gateway', vpnGateway(gatewayId, location, vnetId, pool));
  return { vnetId, gatewayId };
}

interface AppOptions {
  readonly vnetIds?: readonly string[];
  readonly settings?: Readonly<Record<string, string>>;
  readonly slot?: boolean;
  readonly linux?: boolean;
  readonly windowsContainer?: boolean;
  readonly regionalSubnetId?: string;
  readonly routeAll?: boolean;
}

function app(b: FleetBuilder, sub: string, rg: string, name: string, location: string, planId: string, options: AppOptions = {}): string {
  const id = webId(sub, rg, 'sites', name);
  b.add('site', site(id, location, { planId, ...options }));
  b.add('settings', appSettings(id, { APP_ENV: 'production', ...options.settings }));
  for (const vnetId of options.vnetIds ?? []) b.add('connection', gatewayConnection(id, vnetId));
  if (options.slot === true) {
    const slotId = `${id}/slots/staging`;
    b.add('slot', site(slotId, location, { planId, ...options }));
    b.add('settings', appSettings(slotId, { APP_ENV: 'staging', ...options.settings }));
    for (const vnetId of options.vnetIds ?? []) b.add('connection', gatewayConnection(slotId, vnetId));
  }
  return id;
}

function plan(b: FleetBuilder, sub: string, rg: string, name: string, location: string, spec: PlanSpec): string {
  const id = webId(sub, rg, 'serverfarms', name);
  b.add('plan', appServicePlan(id, location, spec));
  return id;
}

export function demoScenario(): Scenario {
  const b = new FleetBuilder();

  // ---- Networks ----
  // vnet-apps-we also holds the delegated subnet the already-regional Linux app uses.
  const appsWe = gatewayVnet(b, PROD, 'rg-network-we', 'vnet-apps-we', WE, '10.10.0.0/16', '10.10.0.0/24', '10.10.255.0/27', '172.16.10.0/24',
    [{ name: 'snet-integration-linux', prefix: '10.10.1.0/26', delegatedToWeb: true }]);
  const linuxSubnet = `${appsWe.vnetId}/subnets/snet-integration-linux`;
  const appsNe = gatewayVnet(b, PROD, 'rg-network-ne', 'vnet-apps-ne', NE, '10.11.0.0/16', '10.11.0.0/24', '10.11.255.0/27', '172.16.11.0/24');
  const corpWe = gatewayVnet(b, CORP, 'rg-network-we', 'vnet-corp-we', WE, '10.20.0.0/16', '10.20.0.0/24', '10.20.255.0/27', '172.16.20.0/24');
  const legacyWe = gatewayVnet(b, CORP, 'rg-network-we', 'vnet-legacy-we', WE, '10.21.0.0/16', '10.21.0.0/24', '10.21.255.0/27', '172.16.21.0/24');
  const partnerWe = gatewayVnet(b, CORP, 'rg-network-we', 'vnet-partner-we', WE, '10.22.0.0/16', '10.22.0.0/24', '10.22.255.0/27', '172.16.22.0/24');
  const devWe = gatewayVnet(b, SHARED, 'rg-network-we', 'vnet-dev-we', WE, '10.30.0.0/16', '10.30.0.0/24', '10.30.255.0/27', '172.16.30.0/24');

  // A VNet whose whole address space is already carved into subnets: no room for an integration subnet.
  const fullId = networkId(CORP, 'rg-network-we', 'virtualNetworks', 'vnet-full-we');
  b.add('vnet', virtualNetwork(fullId, WE, ['10.23.0.0/24'], [
    { name: 'snet-data', prefix: '10.23.0.0/25' }, { name: 'snet-vms', prefix: '10.23.0.128/26' },
    { name: 'snet-mgmt', prefix: '10.23.0.192/27' }, { name: 'GatewaySubnet', prefix: '10.23.0.224/27' },
  ]));
  const fullGatewayId = networkId(CORP, 'rg-network-we', 'virtualNetworkGateways', 'gw-vnet-full-we');
  b.add('gateway', vpnGateway(fullGatewayId, WE, fullId, '172.16.23.0/24'));

  // Shared services VNet (no gateway) reached through peering; gateway transit lets P2S clients of vnet-apps-we in.
  const sharedId = networkId(SHARED, 'rg-network-we', 'virtualNetworks', 'vnet-shared-we');
  b.add('vnet', virtualNetwork(sharedId, WE, ['10.2.0.0/16'], [{ name: 'snet-services', prefix: '10.2.0.0/24' }]));
  b.add('peering', ...peeringPair(appsWe.vnetId, sharedId, { allowGatewayTransit: true }, { useRemoteGateways: true }));
  b.add('peering', ...peeringPair(corpWe.vnetId, sharedId));
  // Global peering: the in-region (northeurope) VNet for apps that reach vnet-apps-we across regions.
  b.add('peering', ...peeringPair(appsWe.vnetId, appsNe.vnetId));

  b.onPremises.push(
    { name: 'dc-amsterdam', gatewayId: appsWe.gatewayId, addressPrefixes: ['192.168.0.0/20'] },
    { name: 'dc-legacy-mainframe', gatewayId: appsWe.gatewayId, addressPrefixes: ['100.72.0.0/16'] },
    { name: 'dc-dublin', gatewayId: appsNe.gatewayId, addressPrefixes: ['192.168.16.0/20'] },
    { name: 'dc-amsterdam-corp', gatewayId: corpWe.gatewayId, addressPrefixes: ['192.168.32.0/20'] },
  );

  // ---- contoso-prod, westeurope: 24 gateway-based apps on vnet-apps-we (the majority case) ----
  const prodPlans = [
    plan(b, PROD, 'rg-web-we', 'plan-web-we-1', WE, { sku: SKUS.standard }),
    plan(b, PROD, 'rg-web-we', 'plan-web-we-2', WE, { sku: SKUS.premiumV3, workers: 3 }),
    plan(b, PROD, 'rg-web-we', 'plan-web-we-3', WE, { sku: SKUS.premiumV3 }),
  ];
  const prodNames = ['shop-api', 'shop-web', 'catalog-api', 'basket-api', 'payments-api', 'invoices-web', 'search-api', 'orders-legacy',
    'customers-api', 'loyalty-api', 'pricing-api', 'stock-api', 'shipping-api', 'returns-web', 'reviews-api', 'media-api',
    'notify-api', 'reports-web', 'admin-web', 'auth-proxy', 'partner-api', 'feeds-api', 'content-web', 'status-web'];
  prodNames.forEach((base, i) => {
    const name = `${base}-we`;
    const planId = prodPlans[Math.floor(i / 8)] ?? '';
    const slot = name === 'shop-web-we' || name === 'customers-api-we' || name === 'pricing-api-we';
    const legacy: Record<string, string> =
      name === 'catalog-api-we' ? { WEBSITE_VNET_ROUTE_ALL: '1' }
        : name === 'basket-api-we' ? { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' }
          : name === 'search-api-we' ? { WEBSITE_DNS_SERVER: '168.63.129.16', WEBSITE_VNET_ROUTE_ALL: '0' } : {};
    let dependency: [string, string, number, string];
    if (name === 'orders-legacy-we') dependency = ['mainframe.corp.contoso.example', '100.72.4.20', 3270, 'mainframe in the legacy on-premises range (not RFC 1918)'];
    else if (i % 4 === 1) dependency = ['redis-shared.internal.contoso.example', '10.2.0.10', 6380, 'shared cache in vnet-shared-we (peering)'];
    else if (i % 4 === 2) dependency = ['erp.corp.contoso.example', '192.168.1.20', 443, 'ERP in the Amsterdam datacentre (on-premises)'];
    else dependency = ['sql-apps-we.internal.contoso.example', '10.10.0.4', 1433, 'SQL Server VM in vnet-apps-we'];
    const id = app(b, PROD, 'rg-web-we', name, WE, planId, { vnetIds: [appsWe.vnetId], slot, settings: { ...legacy, DB_HOST: dependency[0] } });
    b.depend(id, ...dependency);
  });

  // ---- contoso-prod, northeurope ----
  const nePlan = plan(b, PROD, 'rg-web-ne', 'plan-web-ne-1', NE, { sku: SKUS.premiumV3 });
  ['ledger-api', 'audit-api', 'archive-web', 'forecast-api', 'batch-web', 'tax-api'].forEach((base, i) => {
    const id = app(b, PROD, 'rg-web-ne', `${base}-ne`, NE, nePlan, { vnetIds: [appsNe.vnetId], settings: { DB_HOST: 'sql-apps-ne.internal.contoso.example' } });
    if (i === 0) b.depend(id, 'fileserver.dublin.contoso.example', '192.168.17.5', 445, 'file server in the Dublin datacentre (on-premises)');
    else b.depend(id, 'sql-apps-ne.internal.contoso.example', '10.11.0.4', 1433, 'SQL Server VM in vnet-apps-ne');
  });
  // Cross-region, with a peered in-region VNet (vnet-apps-ne is globally peered with vnet-apps-we).
  const crossPlan = plan(b, PROD, 'rg-web-ne', 'plan-cross-ne', NE, { sku: SKUS.premiumV3 });
  ['eu-gateway-ne', 'eu-sync-ne', 'eu-import-ne', 'eu-export-ne'].forEach((name) => {
    const id = app(b, PROD, 'rg-web-ne', name, NE, crossPlan, { vnetIds: [appsWe.vnetId], settings: { DB_HOST: 'sql-apps-we.internal.contoso.example' } });
    b.depend(id, 'sql-apps-we.internal.contoso.example', '10.10.0.4', 1433, 'SQL Server VM in vnet-apps-we (other region)');
  });
  // Cross-region, no in-region VNet peered with the target (and in another subscription).
  const isolatedCrossPlan = plan(b, PROD, 'rg-web-ne', 'plan-cross-nopeer-ne', NE, { sku: SKUS.standard });
  ['hr-portal-ne', 'hr-api-ne', 'hr-sync-ne'].forEach((name) => {
    const id = app(b, PROD, 'rg-web-ne', name, NE, isolatedCrossPlan, { vnetIds: [corpWe.vnetId], settings: { DB_HOST: 'sql-corp-we.internal.contoso.example' } });
    b.depend(id, 'sql-corp-we.internal.contoso.example', '10.20.0.4', 1433, 'SQL in vnet-corp-we (other region, no peering)');
  });

  // ---- contoso-corp, westeurope ----
  const corpPlan = plan(b, CORP, 'rg-corp-we', 'plan-corp-we', WE, { sku: SKUS.premiumV3 });
  ['intranet-web', 'wiki-web', 'expenses-api', 'travel-api', 'timesheet-web', 'helpdesk-web', 'assets-api', 'badges-api'].forEach((base, i) => {
    const id = app(b, CORP, 'rg-corp-we', `${base}-we`, WE, corpPlan, { vnetIds: [corpWe.vnetId], settings: { DB_HOST: 'sql-corp-we.internal.contoso.example' } });
    if (i % 2 === 0) b.depend(id, 'sql-corp-we.internal.contoso.example', '10.20.0.4', 1433, 'SQL in vnet-corp-we');
    else b.depend(id, 'ad.corp.contoso.example', '192.168.33.10', 636, 'directory in the Amsterdam datacentre (on-premises)');
  });
  // One plan whose three apps reach two VNets, two apps sharing one: exactly the two regional subnets a plan may use,
  // the apps sharing a VNet sharing one subnet. (App Service connects an app to one gateway VNet at a time, and the
  // simulator refuses a second, so no app can be seeded with two.)
  const multiPlan = plan(b, CORP, 'rg-corp-we', 'plan-multi-we', WE, { sku: SKUS.standard2 });
  const multi = [['bridge-a-we', [legacyWe.vnetId], 'sql-legacy-we.internal.contoso.example', '10.21.0.4'],
    ['bridge-b-we', [partnerWe.vnetId], 'partner-sftp.internal.contoso.example', '10.22.0.8'],
    ['bridge-c-we', [legacyWe.vnetId], 'sql-legacy-we.internal.contoso.example', '10.21.0.4']] as const;
  for (const [name, vnets, host, ip] of multi) {
    const id = app(b, CORP, 'rg-corp-we', name, WE, multiPlan, { vnetIds: vnets, settings: { DB_HOST: host } });
    b.depend(id, host, ip, 1433, 'dependency in one of the plan\'s two VNets');
  }
  // One plan whose three apps each have a single gateway VNet, three different ones: unlike plan-multi-we (two
  // VNets), every app here is eligible on its own but together they need three subnets, so the plan's limit of two
  // regional subnets stops them.
  const limitPlan = plan(b, CORP, 'rg-corp-we', 'plan-limit-we', WE, { sku: SKUS.standard });
  const limited = [['claims-api-we', corpWe.vnetId, 'sql-corp-we.internal.contoso.example', '10.20.0.4', 1433],
    ['records-api-we', legacyWe.vnetId, 'sql-legacy-we.internal.contoso.example', '10.21.0.4', 1433],
    ['edi-api-we', partnerWe.vnetId, 'partner-sftp.internal.contoso.example', '10.22.0.8', 22]] as const;
  for (const [name, vnetId, host, ip, port] of limited) {
    const id = app(b, CORP, 'rg-corp-we', name, WE, limitPlan, { vnetIds: [vnetId], settings: { DB_HOST: host } });
    b.depend(id, host, ip, port, 'dependency in the app\'s one gateway VNet (one of the plan\'s three)');
  }
  // Apps on the VNet with exhausted address space.
  const fullPlan = plan(b, CORP, 'rg-corp-we', 'plan-full-we', WE, { sku: SKUS.standard });
  ['scanner-api-we', 'printer-web-we', 'kiosk-web-we'].forEach((name) => {
    const id = app(b, CORP, 'rg-corp-we', name, WE, fullPlan, { vnetIds: [fullId], settings: { DB_HOST: 'sql-full-we.internal.contoso.example' } });
    b.depend(id, 'sql-full-we.internal.contoso.example', '10.23.0.10', 1433, 'SQL in vnet-full-we');
  });

  // ---- special cases (Linux already regional, Windows container, Free/Shared/Isolated, Basic) ----
  const linuxPlan = plan(b, PROD, 'rg-web-we', 'plan-linux-we', WE, { sku: SKUS.premiumV3, linux: true });
  const linuxApp = app(b, PROD, 'rg-web-we', 'linux-regional-we', WE, linuxPlan, { linux: true, regionalSubnetId: linuxSubnet, routeAll: true, settings: { DB_HOST: 'sql-apps-we.internal.contoso.example' } });
  b.depend(linuxApp, 'sql-apps-we.internal.contoso.example', '10.10.0.4', 1433, 'SQL Server VM in vnet-apps-we (already regional)');
  app(b, PROD, 'rg-web-we', 'linux-public-we', WE, linuxPlan, { linux: true });
  const containerPlan = plan(b, SHARED, 'rg-apps-we', 'plan-wincontainer-we', WE, { sku: SKUS.premiumV3, windowsContainers: true });
  app(b, SHARED, 'rg-apps-we', 'legacy-container-we', WE, containerPlan, { windowsContainer: true });
  const freePlan = plan(b, SHARED, 'rg-apps-we', 'plan-free-we', WE, { sku: SKUS.free, workers: 1 });
  app(b, SHARED, 'rg-apps-we', 'playground-we', WE, freePlan);
  app(b, SHARED, 'rg-apps-we', 'hackathon-we', WE, freePlan);
  const sharedPlan = plan(b, SHARED, 'rg-apps-we', 'plan-shared-we', WE, { sku: SKUS.shared, workers: 1 });
  app(b, SHARED, 'rg-apps-we', 'landing-page-we', WE, sharedPlan);
  const isolatedPlan = plan(b, SHARED, 'rg-apps-we', 'plan-isolated-we', WE, { sku: SKUS.isolatedV2, workers: 1 });
  app(b, SHARED, 'rg-apps-we', 'secure-portal-we', WE, isolatedPlan);
  const devPlan = plan(b, SHARED, 'rg-apps-we', 'plan-dev-we', WE, { sku: SKUS.basic, workers: 1 });
  ['dev-api-we', 'dev-web-we'].forEach((name) => {
    const id = app(b, SHARED, 'rg-apps-we', name, WE, devPlan, { vnetIds: [devWe.vnetId], settings: { DB_HOST: 'sql-dev-we.internal.contoso.example' } });
    b.depend(id, 'sql-dev-we.internal.contoso.example', '10.30.0.4', 1433, 'dev SQL in vnet-dev-we');
  });
  b.dns['api.partner.example'] = '52.178.10.20';

  return {
    name: 'demo',
    description: '63 apps over 3 subscriptions and 2 regions covering every gateway-to-regional eligibility case (see tools/arm-simulator/docs/simulator-world.md).',
    clockFactor: 1,
    resources: b.resources(),
    dependencies: b.dependencies,
    dns: b.dns,
    onPremises: b.onPremises,
  };
}
