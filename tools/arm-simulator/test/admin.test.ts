import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { baseWorld, rawRequest, startTestSimulator, WEB } from '../src/testing.js';
import { scenarioSubscriptions } from '../src/scenario/subscriptions.js';

describe('admin API under /_simulator/', () => {
  let sim: SimulatorHandle;

  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: { name: 'tiny', resources: [{ id: `${WEB}/serverfarms/seeded`, body: { location: 'westeurope', sku: { name: 'S1' } } }] } });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('manages fault rules without auth; consume() retires counted rules', async () => {
    const added = await rawRequest(sim, 'POST', '/_simulator/faults', JSON.stringify({ kind: 'http503-retry-after', pathPattern: '/sites/', count: 2, retryAfterSeconds: 1 }), {});
    expect(added.status).toBe(201);
    const id = (added.json() as { value: { id: string }[] }).value[0]?.id ?? '';
    expect(sim.faults.list()).toEqual([expect.objectContaining({ id, kind: 'http503-retry-after', remaining: 2 })]);
    expect(sim.faults.consume(id)).toBe(true);
    expect(sim.faults.consume(id)).toBe(true);
    expect(sim.faults.consume(id)).toBe(false);
    expect(sim.faults.list()).toEqual([]);
    const bad = await rawRequest(sim, 'POST', '/_simulator/faults', JSON.stringify({ kind: 'meteor' }), {});
    expect(bad.status).toBe(400);
    await rawRequest(sim, 'POST', '/_simulator/faults', JSON.stringify([{ kind: 'reset', id: 'r1' }, { kind: 'hang', id: 'h1' }]), {});
    expect((await rawRequest(sim, 'DELETE', '/_simulator/faults/r1', undefined, {})).status).toBe(204);
    expect(((await rawRequest(sim, 'GET', '/_simulator/faults', undefined, {})).json() as { value: { id: string }[] }).value.map((r) => r.id)).toEqual(['h1']);
    expect((await rawRequest(sim, 'DELETE', '/_simulator/faults', undefined, {})).status).toBe(204);
    expect(sim.faults.list()).toEqual([]);
  });

  it('filters the audit log and reports state counts', async () => {
    await rawRequest(sim, 'GET', `${WEB}/serverfarms/seeded?api-version=2025-05-01`);
    await rawRequest(sim, 'GET', `${WEB}/serverfarms/missing?api-version=2025-05-01`);
    const notFound = (await rawRequest(sim, 'GET', '/_simulator/audit?status=404&path=serverfarms', undefined, {})).json() as { value: { path: string; status: number; principalId: string }[] };
    expect(notFound.value).toEqual([expect.objectContaining({ path: `${WEB}/serverfarms/missing`, status: 404, principalId: 'anonymous' })]);
    const state = (await rawRequest(sim, 'GET', '/_simulator/state', undefined, {})).json() as { resources: number; byType: Record<string, number>; subscriptions: string[] };
    expect(state.byType['Microsoft.Web/serverfarms']).toBe(1);
    expect(state.subscriptions).toEqual(scenarioSubscriptions(sim.scenario));
  });

  it('reset empties the world and re-seeds the starting scenario', async () => {
    baseWorld(sim);
    expect(sim.store.count()).toBeGreaterThan(1);
    const reset = await rawRequest(sim, 'POST', '/_simulator/reset', undefined, {});
    expect(reset.json()).toEqual({ resources: 1 });
    expect(sim.store.get(`${WEB}/serverfarms/seeded`)).toBeDefined();
    expect(sim.audit.size()).toBe(0);
  });

  it('lets other modules register admin routes with path parameters', async () => {
    sim.registerAdminRoute('GET', '/_simulator/world/apps/{name}/health', ({ params }) => ({ status: 200, body: { app: params['name'], healthy: true } }));
    const r = await rawRequest(sim, 'GET', '/_simulator/world/apps/app1/health', undefined, {});
    expect(r.json()).toEqual({ app: 'app1', healthy: true });
    expect((await rawRequest(sim, 'GET', '/_simulator/nothing', undefined, {})).status).toBe(404);
    expect(() => sim.registerAdminRoute('GET', '/elsewhere', () => ({ status: 200 }))).toThrow(/_simulator/);
  });
});
