/**
 * The HTTP API end to end: the compiled app on the local host (with a function key configured), Azurite and the
 * ARM simulator's demo fleet, driven over real sockets. Every endpoint and every error status, each response
 * checked against docs/openapi.json, and every refused request shown to have started and written nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { responseProblems } from '../support/openapi-responses.js';
import { REPO_ROOT, startEngineWorld, type EngineWorld, type MigrationStatusBody } from './engine-harness.js';

const KEY = 'e2e-function-key';
const SCOPE = { subscriptionIds: [DEMO_SUBSCRIPTIONS.corp] };
const UNKNOWN = '0b6a4c1e-2f3d-4a5b-8c7d-9e0f1a2b3c4d';

interface Answer<T> {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: T;
  readonly bytes: number;
  readonly headers: Headers;
}

interface Problem {
  readonly code: string;
  readonly detail: string;
  readonly errors?: { path: string; message: string }[];
  readonly errorCount?: number;
}

interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly key?: string | null;
}

describe('the HTTP API on the local host', () => {
  let world: EngineWorld;
  let migrationId = '';

  /** Calls the API and checks the answer against the OpenAPI operation `template`. */
  async function call<T = Problem>(method: string, pathAndQuery: string, template: string, options: CallOptions = {}): Promise<Answer<T>> {
    const key = options.key === undefined ? KEY : options.key;
    const body = options.body;
    const response = await fetch(`${world.host.apiUrl}${pathAndQuery}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key === null ? {} : { 'x-functions-key': key }),
        ...options.headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    const parsed = text === '' ? undefined : contentType?.includes('json') ? (JSON.parse(text) as unknown) : text;
    const problems = responseProblems(method, template, { status: response.status, contentType, body: parsed });
    expect(problems, `${method} ${pathAndQuery} → ${response.status} ${text.slice(0, 400)}`).toEqual([]);
    return { status: response.status, contentType, body: parsed as T, bytes: text.length, headers: response.headers };
  }

  /** What a refused request must not change: migration records and orchestration instances. */
  async function footprint(): Promise<{ migrations: number; instances: number }> {
    const list = await call<{ value: unknown[] }>('GET', '/migrations?top=1000', '/migrations');
    const origin = new URL(world.host.apiUrl).origin;
    const instances = (await (await fetch(`${origin}/runtime/webhooks/durabletask/instances/?top=1000`)).json()) as unknown[];
    return { migrations: list.body.value.length, instances: instances.length };
  }

  async function expectProblem(answer: Answer<Problem>, status: number, code: string): Promise<void> {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe(code);
    await Promise.resolve();
  }

  beforeAll(async () => {
    world = await startEngineWorld({ env: { FUNCTIONS_KEY: KEY } });
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('answers health and the OpenAPI document without a key; the document is the committed one', async () => {
    expect((await call('GET', '/health', '/health', { key: null })).status).toBe(200);
    const document = await call<object>('GET', '/openapi.json', '/openapi.json', { key: null });
    expect(document.body).toEqual(JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs/openapi.json'), 'utf8')));
  });

  it.each([
    ['GET', '/migrations', '/migrations'],
    ['POST', '/migrations', '/migrations'],
    ['GET', `/migrations/${UNKNOWN}`, '/migrations/{id}'],
    ['GET', `/migrations/${UNKNOWN}/apps`, '/migrations/{id}/apps'],
    ['POST', `/migrations/${UNKNOWN}/pause`, '/migrations/{id}/pause'],
    ['POST', `/migrations/${UNKNOWN}/resume`, '/migrations/{id}/resume'],
    ['POST', `/migrations/${UNKNOWN}/cancel`, '/migrations/{id}/cancel'],
    ['GET', `/apps/${encodeURIComponent(`/subscriptions/${DEMO_SUBSCRIPTIONS.corp}/resourceGroups/rg/providers/Microsoft.Web/sites/x`)}/history`, '/apps/{appId}/history'],
    ['POST', '/plans', '/plans'],
  ])('%s %s answers 401 without the key and with a wrong one', async (method, route, template) => {
    const body = method === 'POST' ? {} : undefined;
    expect((await call(method, route, template, { key: null, body })).status).toBe(401);
    expect((await call(method, route, template, { key: 'wrong', body })).status).toBe(401);
  });

  it('refuses malformed, unknown-field, invalid-id, non-JSON, oversize and bad-key migration requests, starting and writing nothing', async () => {
    const before = await footprint();
    await expectProblem(await call('POST', '/migrations', '/migrations', { body: '{"scope":' }), 400, 'InvalidRequestBody');
    const unknown = await call('POST', '/migrations', '/migrations', { body: { scope: SCOPE, maxParalel: 2 } });
    await expectProblem(unknown, 400, 'InvalidRequestBody');
    expect(unknown.body.errors?.[0]?.message).toMatch(/maxParalel/);
    const badId = await call('POST', '/migrations', '/migrations', { body: { scope: { ...SCOPE, appIds: ['/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/a\u0000b'] } } });
    await expectProblem(badId, 400, 'InvalidRequestBody');
    expect(badId.body.errors?.[0]?.path).toBe('/scope/appIds/0');
    await expectProblem(await call('POST', '/migrations', '/migrations', { body: 'scope=all', headers: { 'content-type': 'text/plain' } }), 415, 'UnsupportedMediaType');
    const huge = JSON.stringify({ scope: { ...SCOPE, appIds: Array.from({ length: 30_000 }, (_, i) => `/subscriptions/${UNKNOWN}/resourceGroups/rg/providers/Microsoft.Web/sites/app-${i}`) } });
    expect(huge.length).toBeGreaterThan(2 * 1024 * 1024);
    await expectProblem(await call('POST', '/migrations', '/migrations', { body: huge }), 413, 'PayloadTooLarge');
    await expectProblem(await call('POST', '/migrations', '/migrations', { body: { scope: SCOPE }, headers: { 'idempotency-key': 'has space' } }), 400, 'InvalidQuery');
    expect(await footprint()).toEqual(before);
  });

  it('refuses bad route values and queries with 400, and unknown migrations with 404', async () => {
    await expectProblem(await call('GET', '/migrations/not-a-guid', '/migrations/{id}'), 400, 'InvalidQuery');
    await expectProblem(await call('GET', `/migrations/${UNKNOWN}`, '/migrations/{id}'), 404, 'MigrationNotFound');
    await expectProblem(await call('GET', `/migrations/${UNKNOWN}/apps`, '/migrations/{id}/apps'), 404, 'MigrationNotFound');
    for (const action of ['pause', 'resume', 'cancel']) {
      await expectProblem(await call('POST', `/migrations/${UNKNOWN}/${action}`, `/migrations/{id}/${action}`), 404, 'MigrationNotFound');
    }
    await expectProblem(await call('GET', '/migrations?status=Sleeping', '/migrations'), 400, 'InvalidQuery');
    await expectProblem(await call('GET', '/migrations?top=0', '/migrations'), 400, 'InvalidQuery');
    await expectProblem(await call('GET', '/migrations?continuationToken=forged', '/migrations'), 400, 'StateInvalidInput');
    await expectProblem(await call('GET', `/apps/${encodeURIComponent('/subscriptions/x/resourceGroups/rg')}/history`, '/apps/{appId}/history'), 400, 'InvalidQuery');
  });

  it('refuses bad inventories on POST /api/plans: 400 with bounded errors, 413 over 16 MiB, 415', async () => {
    const nul = await call('POST', '/plans', '/plans', { body: { apps: [{ id: `/subscriptions/${UNKNOWN}/resourceGroups/rg/providers/Microsoft.Web/sites/a\u0000b` }], plans: [], virtualNetworks: [] } });
    await expectProblem(nul, 400, 'InvalidRequestBody');
    await expectProblem(await call('POST', '/plans', '/plans', { body: '{}', headers: { 'content-type': 'application/xml' } }), 415, 'UnsupportedMediaType');
    await expectProblem(await call('POST', '/plans', '/plans', { body: `{"apps":[${' '.repeat(17 * 1024 * 1024)}]}` }), 413, 'PayloadTooLarge');
    await expectProblem(await call('POST', '/plans?api-version=9999-99-99', '/plans', { body: { apps: [], plans: [], virtualNetworks: [] } }), 400, 'InvalidApiVersion');
    const empty = await call<{ summary: { migrate: number } }>('POST', '/plans?api-version=2024-04-01', '/plans', { body: { apps: [], plans: [], virtualNetworks: [] } });
    expect(empty.status).toBe(200);
  });

  it('answers a 10 MB body of invalid items quickly with a bounded body, while /api/health keeps answering', async () => {
    const item = { id: `/subscriptions/${UNKNOWN}/resourceGroups/rg/providers/Microsoft.Web/sites/${'a'.repeat(50)}`, kind: 'app', location: 'westeurope', planId: 'nope', bogus: 1 };
    const apps = Array.from({ length: 9000 }, () => ({ ...item, appSettingNames: Array.from({ length: 80 }, (_, i) => `SETTING_${i}`) }));
    const body = JSON.stringify({ apps, plans: [], virtualNetworks: [] });
    expect(body.length).toBeGreaterThan(10 * 1000 * 1000);
    // Baseline: what /api/health costs on this machine right now.
    const healthTimes: number[] = [];
    const timeHealth = async () => {
      const started = performance.now();
      expect((await call('GET', '/health', '/health', { key: null })).status).toBe(200);
      return performance.now() - started;
    };
    const baseline = Math.max(await timeHealth(), await timeHealth(), await timeHealth());
    let done = false;
    const probing = (async () => {
      while (!done) healthTimes.push(await timeHealth());
    })();
    const started = performance.now();
    const answer = await call('POST', '/plans', '/plans', { body });
    const elapsed = performance.now() - started;
    done = true;
    await probing;
    await expectProblem(answer, 400, 'InvalidRequestBody');
    expect(answer.bytes).toBeLessThan(16 * 1024);
    expect(answer.body.errors?.length).toBeLessThanOrEqual(20);
    expect(answer.body.errorCount).toBeGreaterThanOrEqual(20);
    // The issue's bound is 1 s on an idle machine (the unbounded version took 50 s for 11 MB). This 2-core machine
    // is shared with other suites, so the test allows 4 s plus 20 health round trips' worth of slowness.
    expect(elapsed, `10 MB answered in ${Math.round(elapsed)} ms (health baseline ${Math.round(baseline)} ms)`).toBeLessThan(4000 + 20 * baseline);
    expect(healthTimes.length).toBeGreaterThan(0);
    expect(Math.max(...healthTimes), `health during the big request: ${healthTimes.map(Math.round).join(', ')} ms`).toBeLessThan(elapsed + 1000);
  });

  it('starts a migration, and a retried POST with the same Idempotency-Key answers the same migration', async () => {
    const request = { scope: SCOPE, maxParallel: 1, verify: { healthPath: '/health', timeoutSeconds: 60 } };
    const first = await call<{ id: string; statusUri: string }>('POST', '/migrations', '/migrations', { body: request, headers: { 'idempotency-key': 'e2e-run-1' } });
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(first.body.statusUri);
    const retried = await call<{ id: string }>('POST', '/migrations', '/migrations', { body: request, headers: { 'idempotency-key': 'e2e-run-1' } });
    expect(retried.status).toBe(202);
    expect(retried.body.id).toBe(first.body.id);
    migrationId = first.body.id;
    const list = await call<{ value: { id: string }[] }>('GET', '/migrations', '/migrations');
    expect(list.body.value.map((m) => m.id)).toEqual([migrationId]);
  });

  it('answers 409 for apps held by another migration, writing nothing', async () => {
    const running = await waitFor(['Running', 'Completed', 'Failed', 'Canceled']);
    expect(running.status, JSON.stringify(running.error)).toBe('Running');
    const before = await footprint();
    await expectProblem(await call('POST', '/migrations', '/migrations', { body: { scope: SCOPE } }), 409, 'AppsHeldByAnotherMigration');
    expect(await footprint()).toEqual(before);
  }, 180_000);

  it('pauses, resumes and cancels through events, answering 409 when the status does not allow the action', async () => {
    await expectProblem(await call('POST', `/migrations/${migrationId}/resume`, '/migrations/{id}/resume'), 409, 'MigrationStateConflict');
    // Let one app finish first, so the app history below has something to show.
    await until(async () => ((await get(migrationId)).summary['succeeded'] ?? 0) >= 1);
    const paused = await call<{ id: string; action: string; statusUri: string }>('POST', `/migrations/${migrationId}/pause`, '/migrations/{id}/pause');
    expect(paused.status).toBe(202);
    expect(paused.body).toMatchObject({ id: migrationId, action: 'pause' });
    expect(paused.headers.get('location')).toBe(paused.body.statusUri);
    expect((await waitFor(['Paused'])).status).toBe('Paused');
    await expectProblem(await call('POST', `/migrations/${migrationId}/pause`, '/migrations/{id}/pause'), 409, 'MigrationStateConflict');
    expect((await call('POST', `/migrations/${migrationId}/resume`, '/migrations/{id}/resume')).status).toBe(202);
    await waitFor(['Running', 'Completed']);
    expect((await call('POST', `/migrations/${migrationId}/cancel`, '/migrations/{id}/cancel')).status).toBe(202);
    const finished = await waitFor(['Canceled', 'Completed', 'Failed']);
    expect(finished.status).toBe('Canceled');
    const conflict = await call('POST', `/migrations/${migrationId}/pause`, '/migrations/{id}/pause');
    await expectProblem(conflict, 409, 'MigrationStateConflict');
    expect(conflict.body.detail).toMatch(/is Canceled: pause needs it to be Running/);
    await expectProblem(await call('POST', `/migrations/${migrationId}/cancel`, '/migrations/{id}/cancel'), 409, 'MigrationStateConflict');
  }, 120_000);

  it('lists migrations by status, paged, and a migration\'s apps', async () => {
    const canceled = await call<{ value: { id: string }[]; nextLink: string | null }>('GET', '/migrations?status=Canceled&top=1', '/migrations');
    expect(canceled.body.value.map((m) => m.id)).toEqual([migrationId]);
    const running = await call<{ value: unknown[] }>('GET', '/migrations?status=Running', '/migrations');
    expect(running.body.value).toEqual([]);
    const status = await call<MigrationStatusBody>('GET', `/migrations/${migrationId}`, '/migrations/{id}');
    expect(status.body.status).toBe('Canceled');
    const apps = await call<{ value: { appId: string; outcome: string }[] }>('GET', `/migrations/${migrationId}/apps?status=succeeded`, '/migrations/{id}/apps');
    expect(apps.body.value.length).toBeGreaterThanOrEqual(1);
  });

  it("answers an app's audit trail across migrations, oldest first, by URL-encoded id", async () => {
    const apps = await call<{ value: { appId: string }[] }>('GET', `/migrations/${migrationId}/apps?status=succeeded`, '/migrations/{id}/apps');
    const appId = apps.body.value[0]?.appId ?? '';
    const history = await call<{ appId: string; value: { migrationId: string; time: string; action: string }[] }>('GET', `/apps/${encodeURIComponent(appId)}/history`, '/apps/{appId}/history');
    expect(history.status).toBe(200);
    expect(history.body.appId.toLowerCase()).toBe(appId.toLowerCase());
    expect(history.body.value.length).toBeGreaterThan(0);
    expect(new Set(history.body.value.map((e) => e.migrationId))).toEqual(new Set([migrationId]));
    const times = history.body.value.map((e) => e.time);
    expect([...times].sort()).toEqual(times);
    expect(history.body.value.some((e) => /disconnect/i.test(e.action)), JSON.stringify(history.body.value.map((e) => e.action))).toBe(true);
  });

  async function get(id: string): Promise<MigrationStatusBody> {
    return (await call<MigrationStatusBody>('GET', `/migrations/${id}`, '/migrations/{id}')).body;
  }

  /** The migration once its status is one of `statuses` (with the key; the harness's helper sends none). */
  async function waitFor(statuses: readonly string[]): Promise<MigrationStatusBody> {
    let now = await get(migrationId);
    while (!statuses.includes(now.status)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      now = await get(migrationId);
    }
    return now;
  }
});

/** Polls `check` until it holds; the caller's test timeout bounds the wait. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 200));
}
