/**
 * Each MigrationScope filter, proven against the demo fleet over ARM: resource groups, app ids (sites and slots),
 * tags (a slot matched by its own tags or its site's), and that apps outside the gateway world cost no settings
 * reads, plan routes or network reads. No test changes the world (the tags are set once, before them), and each
 * discovery runs as a principal of its own, so a test runs alone or in any order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFleet } from '../../../src/azure/discovery/discover-fleet.js';
import type { MigrationScope } from '../../../src/domain/migration-request.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { rawRequest, startTestSimulator } from '@vnet-migrator/arm-simulator/testing.js';
import { auditOf, clientsForPrincipal } from './support.js';

const { prod: PROD, corp: CORP, shared: SHARED } = DEMO_SUBSCRIPTIONS;
const ALL = [PROD, CORP, SHARED];
const site = (sub: string, rg: string, name: string): string => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`;
const SHOP_WEB = site(PROD, 'rg-web-we', 'shop-web-we');
const CUSTOMERS = site(PROD, 'rg-web-we', 'customers-api-we');
const PRICING = site(PROD, 'rg-web-we', 'pricing-api-we');
const LINUX_PUBLIC = site(PROD, 'rg-web-we', 'linux-public-we');
const names = (ids: readonly string[]): string[] => ids.map((id) => id.split('/sites/')[1] ?? id);

describe('discoverFleet scope filters', () => {
  let sim: SimulatorHandle;
  let run = 0;
  /** Each discovery runs as its own principal, so the audit log shows exactly its requests. */
  const discover = async (scope: MigrationScope) => {
    const principal = `scope-${++run}`;
    const discovery = await discoverFleet(scope, { clientsFor: clientsForPrincipal(sim, principal) });
    return { discovery, principal, ids: names(discovery.inventory.apps.map((a) => a.id)) };
  };

  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'demo', throttling: false, pageSize: 10 });
    const tag = async (id: string, tags: Record<string, string>): Promise<void> => {
      const answer = await rawRequest(sim, 'PATCH', `${id}?api-version=2025-05-01`, JSON.stringify({ tags }));
      expect(answer.status).toBe(200);
    };
    await tag(SHOP_WEB, { wave: '1', owner: 'shop' });
    await tag(`${CUSTOMERS}/slots/staging`, { Wave: '1' });
    await tag(PRICING, { wave: '2' });
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('resourceGroups: only apps in the listed groups, compared case-insensitively', async () => {
    const { ids, discovery } = await discover({ subscriptionIds: ALL, resourceGroups: ['RG-CORP-WE'] });
    expect(ids).toHaveLength(17); // plan-corp-we 8, plan-multi-we 3, plan-limit-we 3, plan-full-we 3
    expect(discovery.inventory.apps.every((a) => a.id.includes('/resourceGroups/rg-corp-we/'))).toBe(true);
    expect(discovery.inventory.plans.every((p) => p.id.includes(`/subscriptions/${CORP}/resourceGroups/rg-corp-we/`))).toBe(true);
  });

  it('appIds: a listed site comes without its slots (but names them); a listed slot comes alone, found through its site', async () => {
    const { ids, discovery, principal } = await discover({ subscriptionIds: ALL, appIds: [SHOP_WEB.replace('shop-web-we', 'SHOP-WEB-WE'), `${CUSTOMERS}/slots/staging`] });
    expect(ids).toEqual(['customers-api-we/slots/staging', 'shop-web-we']);
    expect(discovery.inventory.apps.find((a) => a.id === SHOP_WEB)?.slots).toEqual([`${SHOP_WEB}/slots/staging`]);
    const slotLists = (await auditOf(sim, principal, { method: 'GET', path: '/slots' })).map((r) => r.path.toLowerCase());
    expect(slotLists).toEqual(expect.arrayContaining([`${CUSTOMERS}/slots`.toLowerCase(), `${SHOP_WEB}/slots`.toLowerCase()]));
    // Only the sites the ids name have their slots listed.
    expect(slotLists.filter((p) => p.endsWith('/slots'))).toHaveLength(2);
  });

  it('tags: every listed tag on the site; a slot matches by its own tags or its site\'s; tag names ignore case', async () => {
    const { ids, discovery } = await discover({ subscriptionIds: [PROD], tags: { WAVE: '1' } });
    expect(ids).toEqual(['customers-api-we/slots/staging', 'shop-web-we', 'shop-web-we/slots/staging']);
    expect(discovery.apps.find((a) => a.appId === SHOP_WEB)?.tags).toEqual({ wave: '1', owner: 'shop' });
    expect((await discover({ subscriptionIds: [PROD], tags: { wave: '1', owner: 'shop' } })).ids).toEqual(['shop-web-we', 'shop-web-we/slots/staging']);
    expect((await discover({ subscriptionIds: [PROD], tags: { wave: '3' } })).ids).toEqual([]);
  });

  it('filters combine: a resource group and a tag', async () => {
    expect((await discover({ subscriptionIds: ALL, resourceGroups: ['rg-web-ne'], tags: { wave: '1' } })).ids).toEqual([]);
    expect((await discover({ subscriptionIds: ALL, resourceGroups: ['rg-web-we'], tags: { wave: '2' } })).ids).toEqual(['pricing-api-we', 'pricing-api-we/slots/staging']);
  });

  it('an app without gateway integration costs no settings read, no plan routes and no network reads', async () => {
    const { discovery, principal } = await discover({ subscriptionIds: ALL, appIds: [LINUX_PUBLIC] });
    expect(discovery.inventory.apps.map((a) => a.id)).toEqual([LINUX_PUBLIC]);
    expect(discovery.inventory.plans.map((p) => p.vnetRoutes)).toEqual([[]]);
    expect(discovery.inventory.virtualNetworks).toEqual([]);
    expect(discovery.stats.armPosts).toBe(0);
    const requests = await auditOf(sim, principal);
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(requests.filter((r) => /microsoft\.network|\/routes$|\/config\//i.test(r.path))).toEqual([]);
  });
});
