import { RestError } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { parseJsonText, sendArmRequest } from '../../src/azure/arm-raw-request.js';
import { toArmError } from '../../src/azure/to-arm-error.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { baseWorld, startTestSimulator, staticCredential, SUB, WEB } from '@vnet-migrator/arm-simulator/testing.js';

const PLAN = `${WEB}/serverfarms/plan1`;
const API = 'api-version=2024-04-01';

describe('sendArmRequest through an SDK client pipeline, against the simulator', () => {
  let sim: SimulatorHandle;
  let arm: ArmClients;

  beforeAll(async () => {
    sim = await startTestSimulator();
    arm = createArmClients(staticCredential(), SUB, { endpoint: sim.url, caPem: sim.caPem, retryOptions: { maxRetries: 0 } });
    baseWorld(sim);
    sim.seed([{ id: `${WEB}/sites/app1`, body: { location: 'westeurope', properties: { serverFarmId: PLAN } } }]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('reads a resource: its status and parsed body', async () => {
    const answer = await sendArmRequest(arm.web.pipeline, { method: 'GET', url: `${sim.url}${WEB}/sites/app1?${API}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: `${WEB}/sites/app1`, properties: { serverFarmId: PLAN } });
  });

  it('sends a JSON body, which the service applies', async () => {
    const answer = await sendArmRequest(arm.web.pipeline, { method: 'PATCH', url: `${sim.url}${WEB}/sites/app1?${API}`, body: { properties: { vnetRouteAllEnabled: true } } });
    expect(answer.status).toBe(200);
    const read = await sendArmRequest(arm.web.pipeline, { method: 'GET', url: `${sim.url}${WEB}/sites/app1?${API}` });
    expect(read.body).toMatchObject({ properties: { vnetRouteAllEnabled: true } });
  });

  it("throws a failure as the SDK's RestError, with ARM's code, text and body, so toArmError keeps them", async () => {
    const failure = await sendArmRequest(arm.web.pipeline, { method: 'GET', url: `${sim.url}${WEB}/sites/nope?${API}` }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RestError);
    const error = failure as RestError;
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('ResourceNotFound');
    expect(error.message).toMatch(/nope/);
    expect(error.details).toMatchObject({ error: { code: 'ResourceNotFound' } });
    expect(toArmError(error, 'read nope').details).toMatchObject({ statusCode: 404, armCode: 'ResourceNotFound' });
  });

  it('stops when its abort signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sendArmRequest(arm.web.pipeline, { method: 'GET', url: `${sim.url}${WEB}/sites/app1?${API}`, abortSignal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

describe('parseJsonText', () => {
  it.each<[string | null | undefined, unknown]>([
    ['{"a":1}', { a: 1 }],
    ['[1]', [1]],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
    ['<html>Bad Gateway</html>', undefined],
  ])('%j → %j', (text, parsed) => {
    expect(parseJsonText(text)).toEqual(parsed);
  });
});
