/**
 * A failed page of a paged list, through the generated clients' paging helper, which throws a RestError without the
 * answer's body ("Pagination failed with unexpected statusCode ..."): toArmError still gives ARM's own text, or the
 * status and the page's words when a gateway answered instead of ARM.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { toArmError } from '../../src/azure/to-arm-error.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { baseWorld, startTestSimulator, staticCredential, SUB } from '@vnet-migrator/arm-simulator/testing.js';

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

  it("a gateway's HTML page: the status and the page's words", async () => {
    sim.faults.add({ kind: 'gateway-html', method: 'GET', pathPattern: '/providers/Microsoft\\.Web/sites$', count: 1 });
    const error = toArmError(await listFailure(arm), 'list sites');
    expect(error).toMatchObject({ retryable: true, details: { statusCode: 502 } });
    expect(error.message).toBe('list sites failed: Azure Resource Manager answered HTTP 502 with no ARM error in the body, which said: "502 Bad Gateway 502 Bad Gateway" (502)');
  });
});
