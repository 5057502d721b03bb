/**
 * A failed page of a paged list, through the generated clients' paging helper, which throws a RestError without the
 * answer's body ("Pagination failed with unexpected statusCode ..."): toArmError still gives ARM's own text, or the
 * status and the page's words when a gateway answered instead of ARM.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { toArmError } from '../../src/azure/to-arm-error.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { baseWorld, NET, startTestSimulator, staticCredential, SUB } from '@vnet-migrator/arm-simulator/testing.js';

async function listFailure(arm: ArmClients): Promise<unknown> {
  try {
    for await (const site of arm.web.webApps.list()) void site;
  } catch (error) {
    return error;
  }
  throw new Error('expected the list to fail');
}

describe('a failed page of a list keeps what the answer said', () => {
  let sim: SimulatorHandle;
  let arm: ArmClients;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  beforeEach(() => {
    sim.reset();
    baseWorld(sim);
    arm = createArmClients(staticCredential(), SUB, { endpoint: sim.url, caPem: sim.caPem, retryOptions: { maxRetries: 0 } });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("ARM's refusal: its code and its own text", async () => {
    sim.faults.add({ kind: 'permanent', method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$', message: 'The subscription is disabled.', count: 1 });
    const error = toArmError(await listFailure(arm), 'list sites');
    expect(error).toMatchObject({ retryable: false, details: { statusCode: 400, armCode: 'BadRequest' } });
    expect(error.message).toMatch(/^list sites failed: The subscription is disabled\. \(400 BadRequest \d+\)$/);
  });

  it("a Network list's failed second page keeps Microsoft.Network's own text too", async () => {
    // Pages of two: the first page answers, the one its nextLink points to fails.
    sim.seed(['a', 'b'].map((name, i) => ({ id: `${NET}/virtualNetworks/vnet1/subnets/more-${name}`, body: { properties: { addressPrefix: `10.0.${10 + i}.0/26` } } })));
    const pages = arm.network.subnets.list('rg-test', 'vnet1').byPage();
    expect((await pages.next()).done).toBe(false);
    sim.faults.add({ kind: 'permanent', method: 'GET', pathPattern: '/virtualNetworks/vnet1/subnets$', message: 'The VNet is being moved.', count: 1 });
    const failure = await pages.next().then(() => undefined, (error: unknown) => error);
    expect(toArmError(failure, 'list subnets').message).toMatch(/^list subnets failed: The VNet is being moved\. \(400 BadRequest/);
  });

  it("a gateway's HTML page: the status and the page's words", async () => {
    sim.faults.add({ kind: 'gateway-html', method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$', count: 1 });
    const error = toArmError(await listFailure(arm), 'list sites');
    expect(error).toMatchObject({ retryable: true, details: { statusCode: 502 } });
    expect(error.message).toBe('list sites failed: Azure Resource Manager answered HTTP 502 with no ARM error in the body, which said: "502 Bad Gateway 502 Bad Gateway" (502)');
  });
});
