import { afterAll, beforeAll, beforeEach } from 'vitest';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { createArmClients, type ArmClients } from '../../../src/azure/arm-clients.js';
import type { OperationOptions } from '../../../src/azure/app-networking/index.js';
import type { ProbeOptions } from '../../../src/azure/app-probes/index.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { clientOptions, startTestSimulator, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';

export const PROD = DEMO_SUBSCRIPTIONS.prod;
export const siteId = (name: string, rg = 'rg-web-we', sub: string = PROD): string => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`;
export const VNET_APPS_WE = `/subscriptions/${PROD}/resourceGroups/rg-network-we/providers/Microsoft.Network/virtualNetworks/vnet-apps-we`;

/**
 * Operation options against the simulator. The SDK's own retries are off so that an injected fault reaches the
 * operation at once (with them on, a single 500 is absorbed before the operation sees it, and tests take seconds).
 */
export function operationOptions(sim: SimulatorHandle, extra: { readonly webApiVersion?: string } = {}): OperationOptions & { clients: Map<string, ArmClients> } {
  const clients = new Map<string, ArmClients>();
  const credential = staticCredential('migrator');
  return {
    clients,
    pollIntervalInMs: 5,
    clientsFor: (subscriptionId) => {
      let found = clients.get(subscriptionId);
      if (found === undefined) {
        found = createArmClients(credential, subscriptionId, { endpoint: sim.url, caPem: sim.caPem, retryOptions: { maxRetries: 0 }, ...extra });
        clients.set(subscriptionId, found);
      }
      return found;
    },
  };
}

export function probeOptions(sim: SimulatorHandle): ProbeOptions {
  return { timeoutInMs: 5000, connectAddress: `127.0.0.1:${sim.port}`, caPem: sim.caPem, token: () => Promise.resolve('opaque-token') };
}

/** Runs a call expected to fail and returns what it threw. */
export async function thrown(call: () => Promise<unknown>): Promise<Error & { retryable?: boolean; code?: string; details?: Record<string, unknown> }> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** Lets simulated time pass (restarts, LROs) without a real wait longer than needed. */
export async function passSimulated(sim: SimulatorHandle, ms: number): Promise<void> {
  const until = sim.clock.now() + ms;
  while (sim.clock.now() < until) await sim.clock.sleep(until - sim.clock.now());
}

/** The demo fleet on a fast clock: a 15 s restart passes in 50 real ms, a 3 s LRO in 10. */
export function startDemoSimulator(): Promise<SimulatorHandle> {
  return startTestSimulator({ scenario: 'demo', clockFactor: 300, longRunningOperationMs: 3000, pageSize: 100 });
}

/**
 * The Azure SDK's own clients for one subscription, with none of the product's code: what a test uses to put the
 * world into the state it starts from, so that only the operation under test runs product code.
 */
export function setupClients(sim: SimulatorHandle, sub: string = PROD): { web: WebSiteManagementClient; network: NetworkManagementClient } {
  const credential = staticCredential('test-setup');
  return { web: new WebSiteManagementClient(credential, sub, clientOptions(sim)), network: new NetworkManagementClient(credential, sub, clientOptions(sim)) };
}

/** Creates a subnet of vnet-apps-we delegated to Microsoft.Web/serverFarms, with the SDK alone. */
export async function createDelegatedSubnet(sim: SimulatorHandle, name: string, addressPrefix: string): Promise<string> {
  await setupClients(sim).network.subnets.beginCreateOrUpdateAndWait('rg-network-we', 'vnet-apps-we', name, {
    addressPrefix,
    delegations: [{ name: 'Microsoft.Web.serverFarms', serviceName: 'Microsoft.Web/serverFarms' }],
  }, { updateIntervalInMs: 5 });
  return `${VNET_APPS_WE}/subnets/${name}`;
}

/**
 * The demo world for the calling file's tests, with long-running operations that end at once, reset before each
 * test (so every test starts from the world as seeded and runs alone or in any order), with fresh operation options.
 */
export function instantDemoWorldForEachTest(): { sim: SimulatorHandle; opts: ReturnType<typeof operationOptions> } {
  const world = {} as { sim: SimulatorHandle; opts: ReturnType<typeof operationOptions> };
  beforeAll(async () => {
    world.sim = await startTestSimulator({ scenario: 'demo', clockFactor: 300, longRunningOperationMs: 0, pageSize: 100 });
  });
  beforeEach(() => {
    world.sim.reset();
    world.sim.settings.serviceAssociationLinkLingerMs = 0;
    world.opts = operationOptions(world.sim);
  });
  afterAll(async () => {
    await world.sim?.stop();
  });
  return world;
}
