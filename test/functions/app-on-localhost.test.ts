import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalHost, type RunningLocalHost } from '@vnet-migrator/functions-localhost/host.js';
import { silentLogger } from '@vnet-migrator/functions-localhost/logger.js';
import { fleet } from '../domain/inventory-fixture.js';
import { requireFreshBuild } from '../support/compiled.js';

beforeAll(() => requireFreshBuild());

/** The product's own registrations, compiled to dist/ by `npm test`, served by the local host over real sockets. */
describe('the product app on the local host', () => {
  let host: RunningLocalHost;
  const key = 'test-functions-key';
  beforeAll(async () => {
    // host.json names the task hub through an app setting; the engine's state needs real Table Storage.
    vi.stubEnv('TASKHUB_NAME', 'AppOnLocalhostHub');
    host = await startLocalHost({ port: 0, settingsDir: false, storage: 'azurite:memory', functionsKey: key, logger: silentLogger });
  });
  afterAll(async () => {
    await host?.stop();
    vi.unstubAllEnvs();
  });

  it('registers its functions and answers health without a key', async () => {
    expect(host.app.functions.map((f) => f.name)).toEqual(expect.arrayContaining(['health', 'previewPlan']));
    const response = await fetch(`${host.apiUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('plans a fleet when called with the function key, and refuses without it', async () => {
    const body = JSON.stringify(fleet());
    const denied = await fetch(`${host.apiUrl}/plans`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(denied.status).toBe(401);
    const planned = await fetch(`${host.apiUrl}/plans`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-functions-key': key } });
    expect(planned.status).toBe(200);
    const plan = (await planned.json()) as { groups: unknown[] };
    expect(plan.groups.length).toBeGreaterThan(0);
  });

  it('answers bad input with problem+json and a stable code', async () => {
    const response = await fetch(`${host.apiUrl}/plans?code=${key}`, { method: 'POST', body: '{"apps": 1}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'InvalidRequestBody', status: 400 });
  });
});
