import { WebSiteManagementClient } from '@azure/arm-appservice';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArmRequestInfo, PolicyVerdict, RequestPolicy } from '../src/contract.js';
import type { SimulatorHandle } from '../src/index.js';
import { baseWorld, clientOptions, NET, RG, rawRequest, startTestSimulator, staticCredential, SUB, WEB } from '../src/testing.js';

describe('request pipeline: policies, latency, request info', () => {
  let sim: SimulatorHandle;
  let seen: ArmRequestInfo[];

  beforeEach(async () => {
    sim = await startTestSimulator();
    baseWorld(sim);
    seen = [];
  });
  afterEach(async () => {
    await sim.stop();
  });

  const recorder: RequestPolicy = {
    evaluate: (info) => {
      seen.push(info);
      return { kind: 'pass', headers: { 'x-ms-ratelimit-remaining-subscription-reads': '249' } };
    },
  };

  it('the SDK retries a 429 with Retry-After: 1 and then succeeds', async () => {
    let throttled = 0;
    const throttleOnce: RequestPolicy = {
      evaluate: (): PolicyVerdict => {
        if (throttled > 0) return { kind: 'pass' };
        throttled++;
        return { kind: 'respond', status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'TooManyRequests', message: 'Throttled.' } } };
      },
    };
    sim.setPolicies([throttleOnce]);
    const client = new WebSiteManagementClient(staticCredential(), SUB, clientOptions(sim));
    const started = Date.now();
    const plan = await client.appServicePlans.get(RG, 'plan1');
    expect(plan.name).toBe('plan1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sim.audit.query({ pathContains: '/serverfarms/plan1' }).map((e) => [e.status, e.answeredBy])).toEqual([[429, 'policy'], [200, 'handler']]);
  });

  it('builds ArmRequestInfo with principal, resource id, action and kind; pass headers reach the response', async () => {
    sim.setPolicies([recorder]);
    const get = await rawRequest(sim, 'GET', `${WEB}/sites?api-version=2025-05-01`, undefined, { Authorization: `Bearer e30.${Buffer.from(JSON.stringify({ appid: 'app-42' })).toString('base64url')}.` });
    expect(get.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('249');
    await rawRequest(sim, 'POST', `${WEB}/sites/none/config/appsettings/list?api-version=2025-05-01`);
    await rawRequest(sim, 'POST', `${WEB}/sites/none/restart?api-version=2025-05-01`);
    await rawRequest(sim, 'PUT', `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s?api-version=2025-05-01`, '{}');
    await rawRequest(sim, 'DELETE', `${WEB}/sites/none?api-version=2025-05-01`);
    expect(seen.map((i) => [i.method, i.action, i.operationKind])).toEqual([
      ['GET', 'Microsoft.Web/sites/read', 'read'],
      ['POST', 'Microsoft.Web/sites/config/list/action', 'write'],
      ['POST', 'Microsoft.Web/sites/restart/action', 'write'],
      ['PUT', 'Microsoft.Network/virtualNetworks/subnets/write', 'write'],
      ['DELETE', 'Microsoft.Web/sites/delete', 'delete'],
    ]);
    expect(seen[0]).toMatchObject({ principalId: 'app-42', subscriptionId: SUB, provider: 'Microsoft.Web', resourceId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web` });
    expect(seen[1]?.resourceId).toBe(`${WEB}/sites/none/config/appsettings`);
    expect(seen[4]?.principalId).toBe('anonymous');
  });

  it('a reset verdict drops the connection; a hang verdict never answers; the server goes on', async () => {
    sim.setPolicies([{ evaluate: (i) => (i.path.endsWith('/reset-me') ? { kind: 'reset' } : i.path.endsWith('/hang-me') ? { kind: 'hang' } : { kind: 'pass' }) }]);
    await expect(rawRequest(sim, 'GET', `${WEB}/sites/reset-me?api-version=2025-05-01`)).rejects.toThrow();
    const hanging = Promise.race([
      rawRequest(sim, 'GET', `${WEB}/sites/hang-me?api-version=2025-05-01`).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300)),
    ]);
    expect(await hanging).toBe('still waiting');
    expect((await rawRequest(sim, 'GET', `${WEB}/serverfarms/plan1?api-version=2025-05-01`)).status).toBe(200);
  });

  it('applies the latency model (simulated ms scaled by the clock) before the handler', async () => {
    sim.setLatency({ delayFor: (i) => (i.method === 'GET' ? 400 : 0) });
    const started = Date.now();
    await rawRequest(sim, 'GET', `${WEB}/serverfarms/plan1?api-version=2025-05-01`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(sim.audit.query({ pathContains: '/serverfarms/plan1' }).at(-1)?.durationMs).toBeGreaterThanOrEqual(380);
  });
});

describe('default pipeline from the scenario: fault policy on the admin store, RBAC, throttling', () => {
  it('a fault added through the admin API fails one request; the SDK retries the 503 and succeeds', async () => {
    const sim = await startTestSimulator();
    try {
      baseWorld(sim);
      const added = await rawRequest(sim, 'POST', '/_simulator/faults', JSON.stringify({ kind: 'http503-retry-after', pathPattern: '/serverfarms/plan1$', count: 1, retryAfterSeconds: 1 }), {});
      expect(added.status).toBe(201);
      const client = new WebSiteManagementClient(staticCredential(), SUB, clientOptions(sim));
      expect((await client.appServicePlans.get(RG, 'plan1')).name).toBe('plan1');
      expect(sim.audit.query({ pathContains: '/serverfarms/plan1' }).map((e) => e.status)).toEqual([503, 200]);
      expect(sim.faults.list()).toEqual([]);
    } finally {
      await sim.stop();
    }
  });

  it('with --rbac and no role assignments every ARM call is refused with 403', async () => {
    const sim = await startTestSimulator({ rbac: true });
    try {
      const r = await rawRequest(sim, 'GET', `${WEB}/sites?api-version=2025-05-01`);
      expect(r.status).toBe(403);
      expect(r.json()).toMatchObject({ error: { code: 'AuthorizationFailed' } });
    } finally {
      await sim.stop();
    }
  });

  it('throttling answers with ARM rate-limit headers unless turned off', async () => {
    const on = await startTestSimulator();
    const off = await startTestSimulator({ throttling: false });
    try {
      const withThrottle = await rawRequest(on, 'GET', `${WEB}/sites?api-version=2025-05-01`);
      const without = await rawRequest(off, 'GET', `${WEB}/sites?api-version=2025-05-01`);
      expect(Object.keys(withThrottle.headers).some((h) => h.startsWith('x-ms-ratelimit-remaining'))).toBe(true);
      expect(Object.keys(without.headers).some((h) => h.startsWith('x-ms-ratelimit-remaining'))).toBe(false);
    } finally {
      await on.stop();
      await off.stop();
    }
  });
  it('a request body in any media type but JSON is refused with 415, as ARM does; JSON with a charset is taken', async () => {
    const sim = await startTestSimulator();
    try {
      baseWorld(sim);
      const body = JSON.stringify({ properties: { addressPrefix: '10.0.2.0/26' } });
      const auth = { Authorization: 'Bearer opaque-token' };
      const subnet = `${NET}/virtualNetworks/vnet1/subnets/more?api-version=2024-05-01`;
      const plain = await rawRequest(sim, 'PUT', subnet, body, { ...auth, 'Content-Type': 'text/plain' });
      expect(plain.status).toBe(415);
      expect(plain.json()).toEqual({ error: { code: 'UnsupportedMediaType', message: "The content media type 'text/plain' is not supported. Only 'application/json' is supported." } });
      expect(sim.audit.query({ pathContains: '/subnets/more' }).map((e) => e.status)).toEqual([415]);
      const json = await rawRequest(sim, 'PUT', subnet, body, { ...auth, 'Content-Type': 'application/json; charset=utf-8' });
      expect(json.status).toBe(201);
      const noBody = await rawRequest(sim, 'DELETE', subnet, '', { ...auth, 'Content-Type': 'text/plain' });
      expect(noBody.status).not.toBe(415);
    } finally {
      await sim.stop();
    }
  });

  it("a gateway-html fault answers 502 with a gateway's HTML page instead of ARM's JSON", async () => {
    const sim = await startTestSimulator();
    try {
      baseWorld(sim);
      sim.faults.add({ kind: 'gateway-html', pathPattern: '/serverfarms/plan1$', count: 1 });
      const page = await rawRequest(sim, 'GET', `${WEB}/serverfarms/plan1?api-version=2024-04-01`);
      expect(page.status).toBe(502);
      expect(page.headers['content-type']).toBe('text/html');
      expect(page.text).toContain('<title>502 Bad Gateway</title>');
      expect((await rawRequest(sim, 'GET', `${WEB}/serverfarms/plan1?api-version=2024-04-01`)).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });
});
