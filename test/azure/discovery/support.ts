import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createArmClients, type ArmClients } from '../../../src/azure/arm-clients.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { rawRequest, startTestSimulator, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';

/**
 * The demo world on a simulator for the calling file's tests (started before them, stopped after), reset before each
 * test so that every test starts from the world as seeded and runs alone or in any order. `sim` is set once the
 * file's tests start.
 */
export function demoWorldForEachTest(): { sim: SimulatorHandle } {
  const world = {} as { sim: SimulatorHandle };
  beforeAll(async () => {
    world.sim = await startTestSimulator({ scenario: 'demo', throttling: false, pageSize: 10 });
  }, 60_000);
  beforeEach(() => {
    world.sim.reset();
  });
  afterAll(async () => {
    await world.sim?.stop();
  });
  return world;
}

/**
 * clientsFor as the activity will pass it: one ArmClients per subscription, cached, for one principal (optionally
 * speaking another Microsoft.Web api-version).
 */
export function clientsForPrincipal(sim: SimulatorHandle, principal: string, extra: { readonly webApiVersion?: string } = {}): (subscriptionId: string) => ArmClients {
  const credential = staticCredential(principal);
  const cache = new Map<string, ArmClients>();
  return (subscriptionId) => {
    const key = subscriptionId.toLowerCase();
    let clients = cache.get(key);
    if (clients === undefined) {
      clients = createArmClients(credential, subscriptionId, { endpoint: sim.url, caPem: sim.caPem, ...extra });
      cache.set(key, clients);
    }
    return clients;
  };
}

export interface AuditRow {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly principalId: string;
}

/** The simulator's audit log for one principal, through its admin API (GET /_simulator/audit). */
export async function auditOf(sim: SimulatorHandle, principal: string, filter: { method?: string; path?: string } = {}): Promise<AuditRow[]> {
  const query = new URLSearchParams({ principal, ...(filter.method === undefined ? {} : { method: filter.method }), ...(filter.path === undefined ? {} : { path: filter.path }) });
  const answer = await rawRequest(sim, 'GET', `/_simulator/audit?${query.toString()}`);
  return (answer.json() as { value: AuditRow[] }).value;
}

/** The site or slot id an app-settings list POST was for. */
export function appOfSettingsPost(path: string): string {
  return path.replace(/\/config\/appsettings\/list$/i, '').toLowerCase();
}
