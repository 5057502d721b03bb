import { RestError } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { parseJsonText, sendArmRequest } from '../../src/azure/arm-raw-request.js';
import { toArmError } from '../../src/azure/to-arm-error.js';
import { describeUnparsedAnswer } from '../../src/azure/unparsed-answer.js';
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

  it('throws on a 400 too, with App Service\'s own text', async () => {
    sim.faults.add({ kind: 'permanent', method: 'PATCH', pathPattern: '/sites/app1$', message: 'Locked by policy.', count: 1 });
    const failure = await sendArmRequest(arm.web.pipeline, { method: 'PATCH', url: `${sim.url}${WEB}/sites/app1?${API}`, body: { properties: { vnetRouteAllEnabled: false } } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ statusCode: 400, code: 'BadRequest', message: 'Locked by policy.' });
  });

  it("a gateway's HTML page instead of ARM's JSON: the status and the page's words, never \"Unexpected status code\"", async () => {
    const said = 'Azure Resource Manager answered HTTP 502 with no ARM error in the body, which said: "502 Bad Gateway 502 Bad Gateway"';
    sim.faults.add({ kind: 'gateway-html', pathPattern: '/sites/app1$', count: 2 });
    const raw = await sendArmRequest(arm.web.pipeline, { method: 'GET', url: `${sim.url}${WEB}/sites/app1?${API}` }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(raw).toBeInstanceOf(RestError);
    expect(raw).toMatchObject({ statusCode: 502, message: said, details: undefined });
    expect(toArmError(raw, 'read app1')).toMatchObject({ retryable: true, message: `read app1 failed: ${said} (502)` });

    const sdk = await arm.web.webApps.get('rg-test', 'app1').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(toArmError(sdk, 'read app1')).toMatchObject({ retryable: true, message: `read app1 failed: ${said} (502)` });
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

describe('describeUnparsedAnswer', () => {
  it('quotes the body without its markup, clipped to 200 characters', () => {
    expect(describeUnparsedAnswer(503, '<html><body><h1>Service\r\n  Unavailable</h1></body></html>')).toBe(
      'Azure Resource Manager answered HTTP 503 with no ARM error in the body, which said: "Service Unavailable"',
    );
    expect(describeUnparsedAnswer(502, '<title>Bad Gateway</title><p>Try again later.</p>')).toContain('which said: "Bad Gateway Try again later."');
    const long = describeUnparsedAnswer(502, `<p>${'x'.repeat(250)}</p>`);
    expect(long).toBe(`Azure Resource Manager answered HTTP 502 with no ARM error in the body, which said: "${'x'.repeat(200)}…"`);
    expect(describeUnparsedAnswer(502, `${'y'.repeat(200)}`)).toContain(`"${'y'.repeat(200)}"`);
  });

  it('says when the body was empty', () => {
    for (const body of ['', '  <br/> ', null, undefined]) {
      expect(describeUnparsedAnswer(500, body)).toBe('Azure Resource Manager answered HTTP 500 with no error in the body');
    }
  });
});
