import { WebSiteManagementClient } from '@azure/arm-appservice';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { baseWorld, RG, rawRequest, startTestSimulator, SUB } from '../src/testing.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

describe('identity: a real ClientSecretCredential against the simulator', () => {
  let sim: SimulatorHandle;

  beforeAll(async () => {
    sim = await startTestSimulator();
    baseWorld(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('gets a token whose claims name the client, and ARM calls carry that principal', async () => {
    const credential = new ClientSecretCredential(TENANT, CLIENT, 'secret', {
      authorityHost: sim.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sim.caPem },
    });
    const token = await credential.getToken('https://management.azure.com/.default');
    const payload = JSON.parse(Buffer.from(token.token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload).toMatchObject({ oid: CLIENT, appid: CLIENT, tid: TENANT });
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());

    const client = new WebSiteManagementClient(credential, SUB, { endpoint: sim.url, tlsOptions: { ca: sim.caPem } });
    const plan = await client.appServicePlans.get(RG, 'plan1');
    expect(plan.name).toBe('plan1');
    expect(sim.audit.query({ pathContains: '/serverfarms/plan1' }).at(-1)?.principalId).toBe(CLIENT);
    // What MSAL asked, found by experiment: discovery, then the token (instance discovery is off, see docs).
    const asked = sim.audit.query({ pathContains: TENANT }).map((e) => `${e.method} ${e.path} ${e.status}`);
    expect(asked.slice(0, 2)).toEqual([`GET /${TENANT}/v2.0/.well-known/openid-configuration 200`, `POST /${TENANT}/oauth2/v2.0/token 200`]);
    expect(new Set(asked).size).toBe(2);
  });

  it('answers 401 in ARM shape without a bearer token', async () => {
    const response = await rawRequest(sim, 'GET', `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/serverfarms/plan1?api-version=2025-05-01`, undefined, {});
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('Bearer');
    expect(response.json()).toEqual({ error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." } });
  });

  it('refuses an expired JWT with ExpiredAuthenticationToken', async () => {
    const expired = `e30.${Buffer.from(JSON.stringify({ oid: 'x', exp: Math.floor(Date.now() / 1000) - 60 })).toString('base64url')}.`;
    const response = await rawRequest(sim, 'GET', `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/serverfarms/plan1?api-version=2025-05-01`, undefined, { Authorization: `Bearer ${expired}` });
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'ExpiredAuthenticationToken' } });
  });

  it('serves openid-configuration with a token endpoint on its own host', async () => {
    const response = await rawRequest(sim, 'GET', `/${TENANT}/v2.0/.well-known/openid-configuration`, undefined, {});
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ token_endpoint: `${sim.url}/${TENANT}/oauth2/v2.0/token`, issuer: `${sim.url}/${TENANT}/v2.0` });
  });
});
