import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { baseWorld, NET, rawRequest, startTestSimulator, SUB, WEB } from '../src/testing.js';

describe('robustness: bad requests get ARM errors and the server keeps answering', () => {
  let sim: SimulatorHandle;

  beforeAll(async () => {
    sim = await startTestSimulator({ maxBodyBytes: 64 * 1024 });
    baseWorld(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  async function stillAnswers(): Promise<void> {
    const ok = await rawRequest(sim, 'GET', `${WEB}/serverfarms/plan1?api-version=2025-05-01`);
    expect(ok.status).toBe(200);
  }

  it('malformed JSON is 400 InvalidRequestContent and nothing is written', async () => {
    const r = await rawRequest(sim, 'PUT', `${WEB}/sites/broken?api-version=2025-05-01`, '{"location": "westeurope", ');
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'InvalidRequestContent' } });
    expect(sim.store.get(`${WEB}/sites/broken`)).toBeUndefined();
    await stillAnswers();
  });

  it('a body over the limit is 413', async () => {
    const r = await rawRequest(sim, 'PUT', `${WEB}/sites/huge?api-version=2025-05-01`, Buffer.alloc(200 * 1024, 0x20));
    expect(r.status).toBe(413);
    await stillAnswers();
  });

  it('bad resource ids: 400 InvalidResourceId, unknown paths 404, unknown types 404 InvalidResourceType', async () => {
    const bad = await rawRequest(sim, 'GET', `/subscriptions/${SUB}/resourceGroups/rg/providers?api-version=2025-05-01`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'InvalidResourceId' } });
    const nowhere = await rawRequest(sim, 'GET', '/nothing/here');
    expect(nowhere.status).toBe(404);
    const unknownType = await rawRequest(sim, 'GET', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/gadgets/x?api-version=2025-05-01`);
    expect(unknownType.status).toBe(404);
    expect(unknownType.json()).toMatchObject({ error: { code: 'InvalidResourceType' } });
    await stillAnswers();
  });

  it('unknown methods are 405 and a method a route lacks lists the allowed ones', async () => {
    const trace = await rawRequest(sim, 'OPTIONS', `${WEB}/sites/x?api-version=2025-05-01`);
    expect(trace.status).toBe(405);
    const postOnSite = await rawRequest(sim, 'POST', `${WEB}/serverfarms/plan1?api-version=2025-05-01`);
    expect(postOnSite.status).toBe(405);
    expect(postOnSite.headers['allow']).toContain('GET');
  });

  it('api-versions: missing, malformed and unknown versions answer with ARM codes listing the supported ones', async () => {
    const missing = await rawRequest(sim, 'GET', `${WEB}/serverfarms/plan1`);
    expect(missing.json()).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
    const malformed = await rawRequest(sim, 'GET', `${WEB}/serverfarms/plan1?api-version=latest`);
    expect(malformed.json()).toMatchObject({ error: { code: 'InvalidApiVersionParameter', message: expect.stringContaining("The api-version 'latest' is invalid. The supported versions are '2025-05-01, ") as unknown } });
    const unknown = await rawRequest(sim, 'GET', `${NET}/virtualNetworks/vnet1?api-version=2019-01-01`);
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({
      error: { code: 'NoRegisteredProviderFound', message: expect.stringContaining("No registered resource provider found for location 'westeurope' and API version '2019-01-01' for type 'virtualNetworks'. The supported api-versions are '2025-09-01,") as unknown },
    });
    for (const v of ['2024-04-01', '2024-11-01', '2025-03-01', '2025-05-01']) {
      expect((await rawRequest(sim, 'GET', `${WEB}/serverfarms/plan1?api-version=${v}`)).status).toBe(200);
    }
  });

  it('a PUT without a location is refused', async () => {
    const r = await rawRequest(sim, 'PUT', `${WEB}/serverfarms/nowhere?api-version=2025-05-01`, JSON.stringify({ sku: { name: 'S1' } }));
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'LocationRequired' } });
  });

  it('survives a burst of garbage interleaved with valid calls', async () => {
    const garbage = ['{', '[]', 'null', '"x"', '{"properties": 5}', '\u0000\u0001'];
    const results = await Promise.all(
      garbage.map((body, i) => rawRequest(sim, 'PUT', `${NET}/virtualNetworks/vnet1/subnets/g${i}?api-version=2025-05-01`, body)),
    );
    for (const r of results) expect(r.status).toBeGreaterThanOrEqual(400);
    await stillAnswers();
  });
});
