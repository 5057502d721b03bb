import { describe, expect, it } from 'vitest';
import { createVerificationWorld, parseTarget } from '../../src/world/reachability.js';
import type { WorldView } from '../../src/world/view.js';
import { APPS, baseWorld, HUB, regionalSite, site } from './world-fixture.js';

const T = 1_000_000;
const world = createVerificationWorld(baseWorld());
const reach = (app: string, target: string) => world.reach(site(app), target, T);

describe('targets and names', () => {
  it('parses ip, ip:port, host and host:port', () => {
    expect(parseTarget('10.0.0.4')).toEqual({ host: '10.0.0.4', port: undefined });
    expect(parseTarget('10.0.0.4:1433')).toEqual({ host: '10.0.0.4', port: 1433 });
    expect(parseTarget('db.corp.example:5432')).toEqual({ host: 'db.corp.example', port: 5432 });
  });

  it('an unknown host fails name resolution and is unreachable', () => {
    expect(reach('app-reg-routeall', 'nowhere.example:443')).toMatchObject({ reachable: false, reason: 'name-resolution-failed', address: undefined });
    expect(reach('app-reg', 'FILES.corp.example')).toMatchObject({ reachable: true, address: '192.168.50.20' });
  });
});

describe('no integration', () => {
  it('reaches public destinations but nothing private', () => {
    expect(reach('app-none', 'api.contoso.com:443')).toMatchObject({ reachable: true, reason: 'public-internet' });
    expect(reach('app-none', '10.10.0.4')).toMatchObject({ reachable: false, reason: 'no-integration' });
    expect(reach('app-none', 'db.corp.example')).toMatchObject({ reachable: false, reason: 'no-integration' });
  });
});

describe('gateway-based integration', () => {
  it('reaches the connected VNet, on-premises behind its gateway (RFC 1918 or not) and gateway-transit peers', () => {
    expect(reach('app-gw', '10.10.1.4')).toMatchObject({ reachable: true, reason: 'gateway-vnet' });
    expect(reach('app-gw', '192.168.50.20')).toMatchObject({ reachable: true, reason: 'on-premises' });
    expect(reach('app-gw', 'db.corp.example:1433')).toMatchObject({ reachable: true, reason: 'on-premises', address: '100.70.1.10' });
    expect(reach('app-gw', '10.20.0.4')).toMatchObject({ reachable: true, reason: 'gateway-transit-peer' });
  });

  it('does not reach a peer whose peering lacks gateway transit on the remote side', () => {
    // vnet-apps-we uses the hub's gateway (useRemoteGateways) — that is for the spoke's own traffic, and the hub
    // allows transit to it, so P2S clients do reach it; vnet-data-ne is not peered with the hub at all.
    expect(reach('app-gw', '10.40.0.4')).toMatchObject({ reachable: true, reason: 'gateway-transit-peer' });
    expect(reach('app-gw', '10.30.0.4')).toMatchObject({ reachable: false, reason: 'no-route' });
  });

  it('sends only destinations inside the connection routes through the tunnel', () => {
    expect(reach('app-gw-routes', '10.10.3.3')).toMatchObject({ reachable: true });
    expect(reach('app-gw-routes', '192.168.50.20')).toMatchObject({ reachable: false, reason: 'no-route' });
  });

  it('gives nothing when the VNet has no gateway, and works across regions directly', () => {
    expect(reach('app-gw-nogateway', '10.50.0.4')).toMatchObject({ reachable: false, reason: 'no-route' });
    expect(reach('app-gw-cross-region', '10.30.0.4')).toMatchObject({ reachable: true, reason: 'gateway-vnet' });
  });
});

describe('regional integration', () => {
  it('reaches the integrated VNet, a peer in another region (global peering) and on-premises via the peer gateway', () => {
    expect(reach('app-reg', '10.40.2.2')).toMatchObject({ reachable: true, reason: 'integrated-vnet' });
    expect(reach('app-reg', '10.10.2.2')).toMatchObject({ reachable: true, reason: 'peered-vnet' });
    expect(reach('app-reg', '10.30.0.4:1433')).toMatchObject({ reachable: true, reason: 'peered-vnet' });
    expect(reach('app-reg', '192.168.50.20')).toMatchObject({ reachable: true, reason: 'on-premises' });
  });

  it('peering is not transitive and needs Connected on both sides', () => {
    expect(reach('app-reg', '10.20.0.4')).toMatchObject({ reachable: false, reason: 'no-route' });
    expect(reach('app-reg', '10.50.0.4')).toMatchObject({ reachable: false, reason: 'no-route' });
  });

  it('without the remote allowGatewayTransit there is no on-premises path through the peer', () => {
    const view = baseWorld();
    const hub = view.virtualNetworks.find((v) => v.id === HUB);
    if (hub === undefined) throw new Error('fixture');
    const noTransit: WorldView = {
      ...view,
      virtualNetworks: view.virtualNetworks.map((v) => v !== hub ? v : {
        ...v,
        properties: { ...v.properties, virtualNetworkPeerings: (v.properties.virtualNetworkPeerings ?? []).map((p) => ({ ...p, properties: { ...p.properties, allowGatewayTransit: false } })) },
      }),
    };
    expect(createVerificationWorld(noTransit).reach(site('app-reg'), '192.168.50.20', T)).toMatchObject({ reachable: false, reason: 'no-route' });
  });

  it('non-RFC 1918 private ranges need route all: applicationTraffic, vnetRouteAllEnabled or WEBSITE_VNET_ROUTE_ALL', () => {
    expect(reach('app-reg', 'db.corp.example')).toMatchObject({ reachable: false, reason: 'routed-to-internet' });
    expect(reach('app-reg-routeall', 'db.corp.example')).toMatchObject({ reachable: true, reason: 'on-premises' });
    expect(reach('app-reg-legacy', 'db.corp.example')).toMatchObject({ reachable: true, reason: 'on-premises' });
    const flat = createVerificationWorld({ ...baseWorld(), sites: [{ ...regionalSite('flat', APPS, null), properties: { virtualNetworkSubnetId: `${APPS}/subnets/apps`, vnetRouteAllEnabled: true } }] });
    expect(flat.reach(site('flat'), '100.70.1.10', T).reachable).toBe(true);
  });

  it('a dependency that worked over gateway-based integration breaks after migrating without route all', () => {
    const before = baseWorld();
    const gwSite = site('app-gw');
    expect(createVerificationWorld(before).health(gwSite, T).status).toBe(200);
    const after: WorldView = {
      ...before,
      sites: before.sites.map((s) => (s.id === gwSite ? { ...regionalSite('app-gw', APPS), id: gwSite } : s)),
      vnetConnections: { ...before.vnetConnections, [gwSite]: [] },
    };
    const health = createVerificationWorld(after).health(gwSite, T);
    expect(health.status).toBe(503);
    expect(health.body.dependencies[0]).toMatchObject({ target: 'db.corp.example:1433', reachable: false, reason: 'routed-to-internet' });
  });
});

describe('restarts, health and Kudu answers', () => {
  const restarting = createVerificationWorld(baseWorld({ restartingUntil: { [site('app-reg')]: T + 15_000 } }));

  it('nothing is reachable while the app restarts, and health answers 503 until the window ends', () => {
    expect(restarting.reach(site('app-reg'), 'api.contoso.com', T)).toMatchObject({ reachable: false, reason: 'restarting' });
    expect(restarting.health(site('app-reg'), T + 14_999)).toMatchObject({ status: 503, body: { status: 'Restarting' } });
    const after = restarting.health(site('app-reg'), T + 15_000);
    expect(after.status).toBe(200);
    expect(after.body.dependencies.map((d) => d.description)).toEqual(['file share', 'database in northeurope']);
  });

  it('tcpping answers like Kudu: four attempts and a summary, exit code by outcome', () => {
    const ok = world.tcpping(site('app-reg'), '10.40.0.4:1433', T);
    expect(ok.ExitCode).toBe(0);
    expect(ok.Output).toMatch(/^Connected to 10\.40\.0\.4:1433, time taken: \d+ms\r\n/);
    expect(ok.Output).toContain('Complete: 4/4 successful attempts (100%).');
    const bad = world.tcpping(site('app-reg'), 'db.corp.example:1433', T);
    expect(bad).toMatchObject({ ExitCode: 1, Error: '' });
    expect(bad.Output).toContain('Complete: 0/4 successful attempts (0%).');
    expect(world.tcpping(site('app-reg'), 'api.contoso.com', T).Output).toContain('Connected to api.contoso.com:80');
  });

  it('nameresolver answers like nslookup against Azure DNS', () => {
    expect(world.nameresolver(site('app-reg'), 'db.corp.example')).toEqual({
      Output: 'Server: 168.63.129.16\r\n\r\nNon-authoritative answer:\r\nName: db.corp.example\r\nAddresses: \r\n\t100.70.1.10\r\n\r\n',
      Error: '',
      ExitCode: 0,
    });
    expect(world.nameresolver(site('app-reg'), 'missing.example').Output).toContain("*** Can't find missing.example: Non-existent domain");
  });

  it('an unknown app is reported, not thrown', () => {
    expect(world.health(site('ghost'), T)).toMatchObject({ status: 503 });
    expect(reach('ghost', '10.0.0.1')).toMatchObject({ reason: 'app-not-found' });
  });
});
