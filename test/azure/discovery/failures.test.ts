/**
 * How discovery fails and what it survives: a 403 or 404 becomes the right MigratorError with ARM's own text and
 * the read that failed; a cancelled discovery says so; ARM throttling (429 with Retry-After) is waited out.
 * Each test starts from the world as seeded (the simulator is reset before each), so it runs alone or in any order.
 */
import { NetworkManagementClient } from '@azure/arm-network';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArmAuthorizationFailedError, ArmResourceNotFoundError } from '../../../src/azure/arm-errors.js';
import { discoverFleet } from '../../../src/azure/discovery/discover-fleet.js';
import { DiscoveryAbortedError } from '../../../src/azure/discovery/discovery-errors.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { createThrottlePolicy } from '@vnet-migrator/arm-simulator/policy/throttle.js';
import { DEMO_SUBSCRIPTIONS, demoScenario } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { clientOptions, startTestSimulator, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';
import { auditOf, clientsForPrincipal, demoWorldForEachTest } from './support.js';

const { prod: PROD, corp: CORP, shared: SHARED } = DEMO_SUBSCRIPTIONS;
const CORP_VNET = `/subscriptions/${CORP}/resourceGroups/rg-network-we/providers/Microsoft.Network/virtualNetworks/vnet-corp-we`;

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('discovery was expected to fail');
}

describe('discovery failures with ARM\'s own text', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator({
      scenario: {
        ...demoScenario(),
        throttling: false,
        rbac: {
          enabled: true,
          roles: [{ name: 'Fleet reader', actions: ['*/read', 'Microsoft.Web/sites/config/list/action', 'Microsoft.Web/sites/slots/config/list/action'] }],
          assignments: [
            { principalId: 'prod-reader', roleName: 'Fleet reader', scope: `/subscriptions/${PROD}` },
            { principalId: 'admin', roleName: 'Owner', scope: '/' },
          ],
        },
      },
    });
  }, 60_000);
  beforeEach(() => {
    sim.reset();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('403: a VNet in a subscription the identity cannot read is ArmAuthorizationFailed naming the read and the action', async () => {
    const error = await failureOf(() => discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(sim, 'prod-reader') }));
    expect(error).toBeInstanceOf(ArmAuthorizationFailedError);
    const failure = error as ArmAuthorizationFailedError;
    // The gateway VNet and its resource group's VPN gateways are read in parallel: either read is denied first.
    expect(failure.message).toMatch(
      new RegExp(
        `^(read virtual network ${CORP_VNET}|list the virtual network gateways of resource group rg-network-we in subscription ${CORP}) was denied: ` +
          `The client 'prod-reader' with object id 'prod-reader' does not have authorization to perform action 'Microsoft\\.Network/virtualNetwork(s|Gateways)/read' ` +
          `over scope '/subscriptions/${CORP}/resourceGroups/rg-network-we/`,
      ),
    );
    expect(failure.retryable).toBe(false);
    expect(failure.details).toMatchObject({ statusCode: 403, armCode: 'AuthorizationFailed' });
  });

  it('404: a gateway VNet deleted under its apps is ArmResourceNotFound naming the VNet', async () => {
    const network = new NetworkManagementClient(staticCredential('admin'), SHARED, clientOptions(sim));
    // As on Azure, the VNet goes only once its gateway is gone (the gateway holds its GatewaySubnet).
    await network.virtualNetworkGateways.beginDeleteAndWait('rg-network-we', 'gw-vnet-dev-we', { updateIntervalInMs: 10 });
    await network.virtualNetworks.beginDeleteAndWait('rg-network-we', 'vnet-dev-we', { updateIntervalInMs: 10 });
    const error = await failureOf(() => discoverFleet({ subscriptionIds: [SHARED] }, { clientsFor: clientsForPrincipal(sim, 'admin') }));
    expect(error).toBeInstanceOf(ArmResourceNotFoundError);
    const failure = error as ArmResourceNotFoundError;
    expect(failure.message).toMatch(/vnet-dev-we/);
    expect(failure.message).toMatch(/was not found|could not be found|not found/i);
    expect(failure.details).toMatchObject({ statusCode: 404 });
  });

  it('a cancelled discovery is DiscoveryAborted, before it starts and while it runs', async () => {
    const before = await failureOf(() => discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(sim, 'admin'), abortSignal: AbortSignal.abort() }));
    expect(before).toBeInstanceOf(DiscoveryAbortedError);
    const controller = new AbortController();
    const running = discoverFleet({ subscriptionIds: [PROD, CORP] }, { clientsFor: clientsForPrincipal(sim, 'admin'), abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const during = await failureOf(() => running);
    expect(during).toBeInstanceOf(DiscoveryAbortedError);
    expect((during as DiscoveryAbortedError).retryable).toBe(true);
  });
});

describe('discovery under ARM throttling', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'demo', throttling: false });
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('small read and write buckets answer 429 with Retry-After; the SDK waits them out and discovery completes unchanged', async () => {
    const calm = await discoverFleet({ subscriptionIds: [CORP] }, { clientsFor: clientsForPrincipal(sim, 'calm') });
    // Buckets at least as large as the concurrency, so every request is served within the SDK's three retries.
    sim.setPolicies([
      createThrottlePolicy({
        clock: sim.clock,
        limits: { read: { burst: 20, perSecond: 20 }, write: { burst: 10, perSecond: 10 }, delete: { burst: 10, perSecond: 10 }, networkWritesPerWindow: 1000, networkWindowMs: 300_000 },
      }),
    ]);
    const throttled = await discoverFleet({ subscriptionIds: [CORP] }, { clientsFor: clientsForPrincipal(sim, 'busy') });
    const answers = await auditOf(sim, 'busy');
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.some((a) => a.method === 'POST')).toBe(true); // settings lists drain the write bucket
    expect(throttled.inventory).toEqual(calm.inventory);
    expect(throttled.stats.armReads + throttled.stats.armPosts).toBe(answers.length - refused.length);
    console.log(`throttled discovery: ${answers.length} requests, ${refused.length} answered 429, ${throttled.stats.durationInMs} ms`);
  }, 60_000);
});

describe('a failed read names itself', () => {
  const world = demoWorldForEachTest();
  const SHARED_WE = `/subscriptions/${SHARED}/resourceGroups/rg-network-we/providers/Microsoft.Network/virtualNetworks/vnet-shared-we`;
  // Every kind of read discovery makes of the production subscription (a VNet of another subscription is read by id),
  // each refused in turn: the user is told which read it was, with ARM's own words.
  const reads: ReadonlyArray<{ readonly operation: string; readonly method: 'GET' | 'POST'; readonly pathPattern: string; readonly extra?: { readonly webApiVersion?: string } }> = [
    { operation: `list the sites of subscription ${PROD}`, method: 'GET', pathPattern: `/subscriptions/${PROD}/providers/Microsoft\\.Web/sites$` },
    { operation: 'list the slots of /subscriptions/', method: 'GET', pathPattern: '/sites/[^/]+/slots$' },
    { operation: 'list the VNet connections of /subscriptions/', method: 'GET', pathPattern: '/sites/[^/]+/virtualNetworkConnections$' },
    { operation: 'read the app settings of /subscriptions/', method: 'POST', pathPattern: '/config/appsettings/list$' },
    { operation: 'read the site configuration of /subscriptions/', method: 'GET', pathPattern: '/config/web$', extra: { webApiVersion: '2024-04-01' } },
    { operation: `list the App Service plans of subscription ${PROD}`, method: 'GET', pathPattern: '/providers/Microsoft\\.Web/serverfarms$' },
    { operation: 'list the routes of App Service plan /subscriptions/', method: 'GET', pathPattern: '/routes$' },
    { operation: `list the virtual networks of subscription ${PROD}`, method: 'GET', pathPattern: '/providers/Microsoft\\.Network/virtualNetworks$' },
    { operation: `read virtual network ${SHARED_WE}`, method: 'GET', pathPattern: '/virtualNetworks/vnet-shared-we$' },
    { operation: 'read network security group /subscriptions/', method: 'GET', pathPattern: '/networkSecurityGroups/[^/]+$' },
    { operation: 'list the virtual network gateways of resource group ', method: 'GET', pathPattern: '/virtualNetworkGateways$' },
  ];

  it.each(reads)('$operation', async ({ operation, method, pathPattern, extra }) => {
    world.sim.faults.clear();
    world.sim.faults.add({ kind: 'permanent', method, pathPattern, message: 'Refused by the test.' });
    const error = await failureOf(() => discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'admin', extra) }));
    world.sim.faults.clear();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(operation);
    expect((error as Error).message).toContain('Refused by the test.');
  });
});
