/**
 * The request policies (throttling, RBAC, faults) as the real Azure SDK clients experience them: what the SDK's own
 * retry policy does with each answer, and what error it surfaces. A perRetry pipeline policy records every attempt
 * the SDK makes, so "retried" and "not retried" are observed, not inferred.
 */
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { ClientSecretCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleDefinition, Scenario } from '../src/contract.js';
import type { SimulatorHandle } from '../src/index.js';
import { ManualClock } from '../src/clock.js';
import { createFaultPolicy } from '../src/policy/faults.js';
import { createThrottlePolicy } from '../src/policy/throttle.js';
import { SUBNET_JOIN_ACTION } from '../src/linked-access.js';
import { createRbacPolicy } from '../src/policy/rbac.js';
import { appServicePlan, gatewayConnection, site, SKUS, virtualNetwork, vpnGateway } from '../src/scenario/arm-bodies.js';
import { captureResponses, NET, RG, rawRequest, startTestSimulator, staticCredential, SUB, WEB } from '../src/testing.js';

interface Attempt {
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly error?: string;
  readonly at: number;
}

/** SDK client options that trust the simulator and record every attempt (perRetry runs once per try). */
function recordingOptions(sim: SimulatorHandle, attempts: Attempt[], onAttempt: (attempt: Attempt) => void = () => {}): Record<string, unknown> {
  return {
    endpoint: sim.url,
    tlsOptions: { ca: sim.caPem },
    additionalPolicies: [{
      position: 'perRetry',
      policy: {
        name: 'record-attempts',
        async sendRequest(request: unknown, next: (r: unknown) => Promise<{ status: number; headers: { toJSON(): Record<string, string> } }>) {
          try {
            const response = await next(request);
            const attempt = { status: response.status, headers: response.headers.toJSON(), at: performance.now() };
            attempts.push(attempt);
            onAttempt(attempt);
            return response;
          } catch (error) {
            attempts.push({ status: undefined, headers: {}, error: (error as { code?: string }).code ?? String(error), at: performance.now() });
            throw error;
          }
        },
      },
    }],
  };
}

function bearerFor(oid: string): Record<string, string> {
  const payload = Buffer.from(JSON.stringify({ oid, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
  return { Authorization: `Bearer e30.${payload}.` };
}

const VNET = `${NET}/virtualNetworks/vnet1`;
const PLAN = `${WEB}/serverfarms/plan1`;
const APP = `${WEB}/sites/app1`;

/** A gateway-integrated Windows app on a VNet with a P2S gateway: what a migration starts from. */
const gatewayWorld: Scenario['resources'] = [
  virtualNetwork(VNET, 'westeurope', ['10.1.0.0/16'], [{ name: 'data', prefix: '10.1.0.0/24' }, { name: 'GatewaySubnet', prefix: '10.1.255.0/27' }]),
  vpnGateway(`${NET}/virtualNetworkGateways/gw1`, 'westeurope', VNET, '172.16.0.0/24'),
  appServicePlan(PLAN, 'westeurope', { sku: SKUS.premiumV3 }),
  site(APP, 'westeurope', { planId: PLAN }),
  gatewayConnection(APP, VNET),
];

describe('throttling through the real SDK', () => {
  let sim: SimulatorHandle;
  // A manual clock makes the race-free version of "faster than it refills": no token comes back until the test
  // moves time, which it does when the SDK has seen its 429 (so the SDK's retry after Retry-After finds one).
  const clock = new ManualClock(Date.now(), 5);
  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: { name: 'throttled', clockFactor: 5, resources: gatewayWorld } });
    sim.setPolicies([createFaultPolicy({ store: sim.faults }), createThrottlePolicy({ clock })]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('an exhausted write bucket answers 429 with Retry-After and remaining headers; the SDK waits it out and succeeds', async () => {
    const attempts: Attempt[] = [];
    const advanceOnThrottle = (attempt: Attempt) => {
      if (attempt.status === 429) clock.advance(1000);
    };
    const client = new WebSiteManagementClient(staticCredential('writer'), SUB, recordingOptions(sim, attempts, advanceOnThrottle));
    const first = await client.webApps.updateConfiguration(RG, 'app1', { http20Enabled: true });
    expect(first.http20Enabled).toBe(true);
    const remainingAfterFirst = Number(attempts[0]?.headers['x-ms-ratelimit-remaining-subscription-writes']);
    expect(remainingAfterFirst).toBeGreaterThan(150);

    // Drain the rest of the same principal's write bucket with raw requests; the clock stands still, so nothing refills.
    const body = JSON.stringify({ properties: { http20Enabled: true } });
    let status = 200;
    for (let i = 0; i < 3000 && status !== 429; i++) {
      status = (await rawRequest(sim, 'PATCH', `${APP}/config/web?api-version=2025-05-01`, body, { ...bearerFor('writer'), 'Content-Type': 'application/json' })).status;
    }
    expect(status).toBe(429);

    attempts.length = 0;
    const started = performance.now();
    const after = await client.webApps.updateConfiguration(RG, 'app1', { http20Enabled: false });
    expect(after.http20Enabled).toBe(false);
    const [throttled, retried] = attempts;
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(throttled?.headers['retry-after']).toBe('1');
    expect(throttled?.headers['x-ms-ratelimit-remaining-subscription-writes']).toBe('0');
    expect(Number(retried?.headers['x-ms-ratelimit-remaining-subscription-writes'])).toBeGreaterThanOrEqual(0);
    // The SDK honoured Retry-After (1 s) before retrying.
    expect((retried?.at ?? 0) - (throttled?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(performance.now() - started).toBeLessThan(10_000);

    // Reads have their own bucket: the same principal still reads.
    expect((await client.webApps.get(RG, 'app1')).name).toBe('app1');
  });

  it('a 429 without Retry-After (fault kind http429, no retryAfterSeconds) is not retried by the SDK', async () => {
    const attempts: Attempt[] = [];
    const client = new WebSiteManagementClient(staticCredential('other-principal'), SUB, recordingOptions(sim, attempts));
    const added = await rawRequest(sim, 'POST', '/_simulator/faults', JSON.stringify({ kind: 'http429', method: 'GET', pathPattern: '/sites/app1$', count: 1 }), {});
    expect(added.status).toBe(201);
    await expect(client.webApps.get(RG, 'app1')).rejects.toMatchObject({ statusCode: 429, code: 'TooManyRequests' });
    expect(attempts.map((a) => a.status)).toEqual([429]);
    expect(attempts[0]?.headers['retry-after']).toBeUndefined();
    // The rule was counted (count 1), so the next call goes through.
    expect((await client.webApps.get(RG, 'app1')).name).toBe('app1');
  });
});

/**
 * Exactly the actions a gateway-to-regional migration of one app performs (read the app, its connections, settings
 * and plan; read the VNet; create a delegated subnet and poll it; drop the gateway connection; join the subnet; set
 * routing; restart). Joining the subnet also needs the join action on the subnet itself (ARM's linked authorization).
 * The leave-one-out test below proves none is superfluous.
 */
const MIGRATOR_ROLE: RoleDefinition = {
  name: 'VNet Integration Migrator',
  actions: [
    'Microsoft.Web/sites/read',
    'Microsoft.Web/sites/virtualNetworkConnections/read',
    'Microsoft.Web/sites/config/list/action',
    'Microsoft.Web/serverfarms/read',
    'Microsoft.Network/virtualNetworks/read',
    'Microsoft.Network/virtualNetworks/subnets/write',
    'Microsoft.Network/locations/operations/read',
    'Microsoft.Network/virtualNetworks/subnets/read',
    'Microsoft.Web/sites/virtualNetworkConnections/delete',
    'Microsoft.Web/sites/networkConfig/write',
    'Microsoft.Network/virtualNetworks/subnets/join/action',
    'Microsoft.Web/sites/config/write',
    'Microsoft.Web/sites/restart/action',
  ],
};

async function migrateOneApp(web: WebSiteManagementClient, network: NetworkManagementClient, subnetName: string): Promise<void> {
  await web.webApps.get(RG, 'app1');
  await web.webApps.listVnetConnections(RG, 'app1');
  await web.webApps.listApplicationSettings(RG, 'app1');
  await web.appServicePlans.get(RG, 'plan1');
  await network.virtualNetworks.get(RG, 'vnet1');
  const subnet = await network.subnets.beginCreateOrUpdateAndWait(RG, 'vnet1', subnetName, {
    addressPrefix: '10.1.1.0/26',
    delegations: [{ name: 'web', serviceName: 'Microsoft.Web/serverFarms' }],
  }, { updateIntervalInMs: 10 });
  await web.webApps.deleteVnetConnection(RG, 'app1', 'vnet1');
  await web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: subnet.id ?? '' });
  await web.webApps.updateConfiguration(RG, 'app1', { vnetRouteAllEnabled: true });
  await web.webApps.restart(RG, 'app1');
}

describe('RBAC through the real SDK', () => {
  let sim: SimulatorHandle;
  const subscriptionScope = `/subscriptions/${SUB}`;
  const rbac = {
    enabled: true,
    roles: [MIGRATOR_ROLE],
    assignments: [
      { principalId: 'reader-app', roleName: 'Reader', scope: subscriptionScope },
      { principalId: 'web-contributor-app', roleName: 'Website Contributor', scope: `${subscriptionScope}/resourceGroups/${RG}` },
      { principalId: 'migrator-app', roleName: MIGRATOR_ROLE.name, scope: subscriptionScope },
    ],
  };
  const clientsFor = (credential: TokenCredential): { web: WebSiteManagementClient; network: NetworkManagementClient } => ({
    web: new WebSiteManagementClient(credential, SUB, { endpoint: sim.url, tlsOptions: { ca: sim.caPem } }),
    network: new NetworkManagementClient(credential, SUB, { endpoint: sim.url, tlsOptions: { ca: sim.caPem } }),
  });
  const secretCredential = (clientId: string): ClientSecretCredential =>
    new ClientSecretCredential('tenant-1', clientId, 'not-a-secret', { authorityHost: sim.url, disableInstanceDiscovery: true, tlsOptions: { ca: sim.caPem } });

  beforeAll(async () => {
    sim = await startTestSimulator({ longRunningOperationMs: 0, scenario: { name: 'rbac', throttling: false, rbac, resources: gatewayWorld } });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('a Reader (ClientSecretCredential) reads, and a write is 403 AuthorizationFailed naming the action and scope', async () => {
    const { web } = clientsFor(secretCredential('reader-app'));
    expect((await web.webApps.get(RG, 'app1')).name).toBe('app1');
    const failure = await web.webApps.updateConfiguration(RG, 'app1', { vnetRouteAllEnabled: true }).then(() => undefined, (e: unknown) => e);
    expect(failure).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    const message = (failure as Error).message;
    expect(message).toContain("The client 'reader-app' with object id 'reader-app' does not have authorization to perform action 'Microsoft.Web/sites/config/write'");
    expect(message).toContain(`over scope '${APP}/config/web'`);
    expect((await web.webApps.getConfiguration(RG, 'app1')).vnetRouteAllEnabled).toBe(false);
  });

  it('a Website Contributor writes sites but not subnets', async () => {
    const { web, network } = clientsFor(staticCredential('web-contributor-app'));
    const updated = await web.webApps.updateConfiguration(RG, 'app1', { http20Enabled: true });
    expect(updated.http20Enabled).toBe(true);
    await expect(network.subnets.beginCreateOrUpdateAndWait(RG, 'vnet1', 'denied', { addressPrefix: '10.1.2.0/26' }, { updateIntervalInMs: 10 }))
      .rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed', message: expect.stringContaining("action 'Microsoft.Network/virtualNetworks/subnets/write' over scope") as unknown });
    await expect(network.subnets.get(RG, 'vnet1', 'denied')).rejects.toMatchObject({ statusCode: 403 });
  });

  it('a custom role with exactly the migration actions migrates an app end to end', async () => {
    sim.reset();
    const { web, network } = clientsFor(secretCredential('migrator-app'));
    await migrateOneApp(web, network, 'snet-integration');
    const app = await web.webApps.get(RG, 'app1');
    expect(app.virtualNetworkSubnetId).toBe(`${VNET}/subnets/snet-integration`);
    expect(await web.webApps.listVnetConnections(RG, 'app1')).toEqual([expect.objectContaining({ isSwift: true })]);
  });

  it('leaving any one action out of the custom role stops the migration with 403 naming that action', async () => {
    const joinedScope = `'${VNET}/subnets/snet-integration'`;
    const { web, network } = clientsFor(staticCredential('migrator-app'));
    try {
      for (const missing of MIGRATOR_ROLE.actions) {
        sim.reset();
        const reduced: RoleDefinition = { ...MIGRATOR_ROLE, actions: MIGRATOR_ROLE.actions.filter((a) => a !== missing) };
        sim.setPolicies([createFaultPolicy({ store: sim.faults }), createRbacPolicy({ ...rbac, roles: [reduced] })]);
        const failure = await migrateOneApp(web, network, 'snet-integration').then(() => undefined, (e: unknown) => e);
        if (missing === SUBNET_JOIN_ACTION) {
          // The caller may write the site's networkConfig, but not join the subnet it names: ARM's linked check.
          expect(failure, `without ${missing}`).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
          expect((failure as Error).message).toContain(
            `has permission to perform action 'Microsoft.Web/sites/networkConfig/write' on scope '${APP}/networkConfig/virtualNetwork'; ` +
              `however, it does not have permission to perform action(s) '${missing}' on the linked scope(s) ${joinedScope} (respectively)`,
          );
          expect(sim.store.get(APP)?.properties['virtualNetworkSubnetId'] ?? null).toBeNull();
        } else {
          expect(failure, `without ${missing}`).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
          expect((failure as Error).message).toContain(`action '${missing}'`);
        }
      }
    } finally {
      sim.setPolicies([createFaultPolicy({ store: sim.faults }), createRbacPolicy(rbac)]);
    }
  });
});

describe('faults added at run time through /_simulator/faults, hitting the real SDK', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: { name: 'faults', throttling: false, resources: gatewayWorld } });
  });
  afterAll(async () => {
    await sim.stop();
  });
  const addFault = async (rule: Record<string, unknown>): Promise<string> => {
    const added = await rawRequest(sim, 'POST', '/_simulator/faults', JSON.stringify(rule), {});
    expect(added.status).toBe(201);
    return (added.json() as { value: { id: string }[] }).value[0]?.id ?? '';
  };

  it('a 500 on the next call is retried by the SDK, which then succeeds', async () => {
    const attempts: Attempt[] = [];
    const client = new WebSiteManagementClient(staticCredential(), SUB, recordingOptions(sim, attempts));
    await addFault({ kind: 'http500', method: 'GET', pathPattern: '/sites/app1$', count: 1 });
    expect((await client.webApps.get(RG, 'app1')).name).toBe('app1');
    expect(attempts.map((a) => a.status)).toEqual([500, 200]);
  });

  it('a permanent failure surfaces its message (Network: RestError.message; Web: App Service envelope), until DELETE removes it', async () => {
    const network = new NetworkManagementClient(staticCredential(), SUB, { endpoint: sim.url, tlsOptions: { ca: sim.caPem } });
    const networkFault = await addFault({ kind: 'permanent', method: 'GET', pathPattern: '/subnets/data$', message: 'Subnet data is being maintained; try tomorrow.' });
    await expect(network.subnets.get(RG, 'vnet1', 'data')).rejects.toMatchObject({ statusCode: 400, code: 'BadRequest', message: 'Subnet data is being maintained; try tomorrow.' });
    await expect(network.subnets.get(RG, 'vnet1', 'data')).rejects.toMatchObject({ statusCode: 400 });

    const attempts: Attempt[] = [];
    const web = new WebSiteManagementClient(staticCredential(), SUB, recordingOptions(sim, attempts));
    const webFault = await addFault({ kind: 'permanent', status: 409, method: 'PUT', pathPattern: '/networkConfig/virtualNetwork$', message: 'Adding this VNET would exceed the App Service Plan VNET limit of 2.' });
    const capture = captureResponses();
    await expect(web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: `${VNET}/subnets/data` }, { onResponse: capture.onResponse }))
      .rejects.toMatchObject({ statusCode: 409 });
    expect(JSON.parse(capture.lastBody())).toMatchObject({ Code: 'Conflict', Message: 'Adding this VNET would exceed the App Service Plan VNET limit of 2.' });
    expect(attempts).toHaveLength(1);

    expect((await rawRequest(sim, 'DELETE', `/_simulator/faults/${networkFault}`, undefined, {})).status).toBe(204);
    expect((await network.subnets.get(RG, 'vnet1', 'data')).name).toBe('data');
    expect((await rawRequest(sim, 'DELETE', `/_simulator/faults/${webFault}`, undefined, {})).status).toBe(204);
    expect((await rawRequest(sim, 'DELETE', `/_simulator/faults/${webFault}`, undefined, {})).status).toBe(404);
  });

  it('a connection reset is retried by the SDK as a transient network error', async () => {
    const attempts: Attempt[] = [];
    const client = new WebSiteManagementClient(staticCredential(), SUB, recordingOptions(sim, attempts));
    await addFault({ kind: 'reset', method: 'GET', pathPattern: '/sites/app1$', count: 1 });
    expect((await client.webApps.get(RG, 'app1')).name).toBe('app1');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.status).toBeUndefined();
    expect(attempts[0]?.error).toMatch(/ECONNRESET|socket hang up/i);
    expect(attempts[1]?.status).toBe(200);
  });

  it('a hang is ended by the caller\'s abortSignal; after DELETE the same call answers', async () => {
    const client = new WebSiteManagementClient(staticCredential(), SUB, { endpoint: sim.url, tlsOptions: { ca: sim.caPem } });
    const id = await addFault({ kind: 'hang', method: 'GET', pathPattern: '/sites/app1$' });
    const started = performance.now();
    await expect(client.webApps.get(RG, 'app1', { abortSignal: AbortSignal.timeout(300) })).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(5000);
    const listed = (await rawRequest(sim, 'GET', '/_simulator/faults', undefined, {})).json() as { value: { id: string; fired: number }[] };
    expect(listed.value).toEqual([expect.objectContaining({ id, fired: 1 })]);
    expect((await rawRequest(sim, 'DELETE', `/_simulator/faults/${id}`, undefined, {})).status).toBe(204);
    expect((await client.webApps.get(RG, 'app1', { abortSignal: AbortSignal.timeout(5000) })).name).toBe('app1');
  });
});
