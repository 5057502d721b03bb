import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE_SETTING } from '../../src/durable/management-api.js';
import type { RunningLocalHost } from '../../src/host.js';
import { startFixtureHost, type CheckStatus } from '../support/fixture-host.js';

/**
 * Every DurableClient call, made by an app through the unchanged df.getClient binding, against the full local
 * host: function host + durable engine + management API, persisting to Azurite. The fixture app
 * (tools/functions-localhost/test/fixtures/durable-client-app) exposes one HTTP function per client call.
 */

const PAGE_SIZE = 2;
let host: RunningLocalHost;
let hostLog: string[] = [];
let previousPageSize: string | undefined;

beforeAll(async () => {
  // durable-functions never sends `top`; a small server page size makes getStatusAll/By follow continuation tokens.
  previousPageSize = process.env[PAGE_SIZE_SETTING];
  process.env[PAGE_SIZE_SETTING] = String(PAGE_SIZE);
  ({ host, log: hostLog } = await startFixtureHost('durable-client-app'));
});

afterAll(async () => {
  await host?.stop();
  if (previousPageSize === undefined) delete process.env[PAGE_SIZE_SETTING];
  else process.env[PAGE_SIZE_SETTING] = previousPageSize;
});

interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

interface Status {
  readonly name: string;
  readonly instanceId: string;
  readonly runtimeStatus: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly customStatus: unknown;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly history?: { EventType: string; Result?: unknown }[];
}

async function send<T = unknown>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
  const response = await fetch(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** Calls one of the fixture's client functions. */
const client = <T = unknown>(method: string, path: string, body?: unknown) => send<T>(method, `${host.apiUrl}/client/${path}`, body);
const statusUrl = (id: string) => `${host.url}/runtime/webhooks/durabletask/instances/${encodeURIComponent(id)}`;

async function startNew(name: string, input?: unknown, instanceId?: string): Promise<string> {
  const answer = await client<{ id: string; error?: string }>('POST', `start/${name}${instanceId ? `?instanceId=${instanceId}` : ''}`, input);
  expect(answer.status, answer.body.error).toBe(200);
  return answer.body.id;
}

async function waitFor(id: string, wanted: (status: Status) => boolean, what: string, timeoutMs = 30_000): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await send<Status>('GET', statusUrl(id));
    if (answer.status !== 404 && wanted(answer.body)) return answer.body;
    if (Date.now() > deadline) {
      throw new Error(`Instance ${id} never became ${what}; last: ${JSON.stringify(answer.body)}. Host log:\n${hostLog.slice(-30).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A time filter boundary no earlier instance can fall on: the next whole second, waited for. Stored creation
 * times may be kept to the second (the extension's status format is), so a boundary mid-second could include an
 * instance created just before it or exclude one created just after.
 */
async function nextWholeSecond(): Promise<Date> {
  const boundary = Math.ceil((Date.now() + 1) / 1000) * 1000;
  await new Promise((resolve) => setTimeout(resolve, boundary - Date.now() + 5));
  return new Date(boundary);
}

const isStatus = (runtimeStatus: string) => (status: Status) => status.runtimeStatus === runtimeStatus;
const GREETINGS = ['Hello Tokyo', 'Hello Seattle', 'Hello Cairo'];
const CITIES = { cities: ['Tokyo', 'Seattle', 'Cairo'] };

describe('DurableClient against the full local host', () => {
  it('startNew: generated and chosen ids, 409 for a running id, 400 for an unknown orchestrator', async () => {
    const generated = await startNew('Sequence', CITIES);
    expect(generated).toMatch(/^[0-9a-f]{32}$|^[0-9a-f-]{36}$/);
    expect((await waitFor(generated, isStatus('Completed'), 'Completed')).output).toEqual(GREETINGS);

    const chosen = await startNew('WaitForGo', undefined, 'chosen-id');
    expect(chosen).toBe('chosen-id');
    await waitFor(chosen, isStatus('Running'), 'Running');
    const again = await client<{ error: string }>('POST', 'start/WaitForGo?instanceId=chosen-id');
    expect(again.status).toBe(500);
    expect(again.body.error).toMatch(/unexpected status code: 409/);

    const unknown = await client<{ error: string }>('POST', 'start/NoSuchOrchestrator');
    expect(unknown.body.error).toMatch(/unexpected status code: 400.*NoSuchOrchestrator/);
    await client('POST', 'terminate/chosen-id');
  });

  it('getStatus: input, output, custom status and history with outputs; unknown ids reject with 404', async () => {
    const id = await startNew('Sequence', CITIES, 'status-with-history');
    await waitFor(id, isStatus('Completed'), 'Completed');
    const answer = await client<Status>('GET', `status/${id}?showHistory=true&showHistoryOutput=true`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: 'Sequence', instanceId: id, runtimeStatus: 'Completed', input: CITIES, output: GREETINGS });
    const history = answer.body.history ?? [];
    expect(history.map((event) => event.EventType)).toContain('ExecutionStarted');
    const results = history.filter((event) => event.EventType === 'TaskCompleted').map((event) => event.Result);
    expect(results).toHaveLength(3);
    expect(JSON.stringify(results)).toContain('Hello Seattle');

    const plain = await client<Status>('GET', `status/${id}`);
    expect(plain.body.history).toBeUndefined();

    const running = await startNew('WaitForGo', undefined, 'status-custom');
    expect((await waitFor(running, (s) => s.customStatus === 'waiting for Go', 'custom status set')).runtimeStatus).toBe('Running');
    await client('POST', `terminate/${running}`);

    const missing = await client<{ error: string }>('GET', 'status/never-started');
    expect(missing.body.error).toMatch(/404/);
  });

  it('getStatusAll and getStatusBy follow continuation tokens across small pages and apply every filter', async () => {
    const before = await nextWholeSecond();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await startNew('Sequence', { cities: [`City${i}`] }, `paged-${i}`));
    for (const id of ids) await waitFor(id, isStatus('Completed'), 'Completed');
    const failing = await startNew('Failing', 'on purpose', 'paged-failing');
    await waitFor(failing, isStatus('Failed'), 'Failed');

    const firstPage = await send<Status[]>('GET', `${host.url}/runtime/webhooks/durabletask/instances/`);
    expect(firstPage.body).toHaveLength(PAGE_SIZE);
    expect(firstPage.headers.get('x-ms-continuation-token')).toBeTruthy();

    const all = await client<Status[]>('GET', 'statusAll');
    const allIds = all.body.map((s) => s.instanceId);
    expect(allIds).toEqual(expect.arrayContaining([...ids, failing]));
    expect(new Set(allIds).size).toBe(allIds.length);

    const recentCompleted = await client<Status[]>('POST', 'statusBy', { createdTimeFrom: before.toISOString(), runtimeStatus: ['Completed'] });
    expect(recentCompleted.body.map((s) => s.instanceId).sort()).toEqual([...ids].sort());

    const recentFailed = await client<Status[]>('POST', 'statusBy', { createdTimeFrom: before.toISOString(), runtimeStatus: ['Failed'] });
    expect(recentFailed.body.map((s) => s.instanceId)).toEqual([failing]);

    const beforeAnything = await client<Status[]>('POST', 'statusBy', { createdTimeTo: new Date(before.getTime() - 60_000).toISOString() });
    expect(beforeAnything.body.map((s) => s.instanceId)).not.toContain('paged-1');
  });

  it('raiseEvent: an event raised before the orchestrator waits is buffered; finished and unknown instances', async () => {
    const id = await startNew('ApproveAfterWork', { workMs: 800 }, 'early-event');
    const raised = await client('POST', `raise/${id}/Approval`, { by: 'lead' });
    expect(raised.status).toBe(202);
    const done = await waitFor(id, isStatus('Completed'), 'Completed');
    expect(done.output).toEqual({ approval: { by: 'lead' } });

    // 410 Gone for a finished instance: the SDK resolves quietly, as it does against Azure.
    expect((await client('POST', `raise/${id}/Approval`, { by: 'late' })).status).toBe(202);
    const unknown = await client<{ error: string }>('POST', 'raise/never-started/Approval', 1);
    expect(unknown.body.error).toMatch(/No instance with ID 'never-started' found/);
  });

  it('terminate: a running instance ends Terminated with the reason; terminating again is accepted', async () => {
    const id = await startNew('WaitForGo', undefined, 'to-terminate');
    await waitFor(id, isStatus('Running'), 'Running');
    expect((await client('POST', `terminate/${id}?reason=no%20longer%20needed`)).status).toBe(202);
    const terminated = await waitFor(id, isStatus('Terminated'), 'Terminated');
    expect(JSON.stringify(terminated.output)).toContain('no longer needed');
    expect((await client('POST', `terminate/${id}`)).status).toBe(202);
    expect((await client<{ error: string }>('POST', 'terminate/never-started')).body.error).toMatch(/No instance with ID/);
  });

  it('suspend and resume: Suspended, then Running again, then it completes when told to go', async () => {
    const id = await startNew('WaitForGo', undefined, 'to-suspend');
    await waitFor(id, isStatus('Running'), 'Running');
    expect((await client('POST', `suspend/${id}?reason=maintenance`)).status).toBe(202);
    await waitFor(id, isStatus('Suspended'), 'Suspended');
    expect((await client('POST', `resume/${id}?reason=done`)).status).toBe(202);
    await waitFor(id, isStatus('Running'), 'Running');
    expect((await client('POST', `raise/${id}/Go`, 'now')).status).toBe(202);
    expect((await waitFor(id, isStatus('Completed'), 'Completed')).output).toEqual({ went: 'now' });
  });

  it('purgeInstanceHistory and purgeInstanceHistoryBy', async () => {
    const id = await startNew('Sequence', CITIES, 'to-purge');
    await waitFor(id, isStatus('Completed'), 'Completed');
    expect((await client('DELETE', `purge/${id}`)).body).toEqual({ instancesDeleted: 1 });
    expect((await send('GET', statusUrl(id))).status).toBe(404);
    expect((await client('DELETE', `purge/${id}`)).body).toEqual({ instancesDeleted: 0 });

    const marker = await nextWholeSecond();
    const batch = [await startNew('Sequence', CITIES, 'purge-by-1'), await startNew('Sequence', CITIES, 'purge-by-2')];
    for (const purgeId of batch) await waitFor(purgeId, isStatus('Completed'), 'Completed');
    const running = await startNew('WaitForGo', undefined, 'purge-by-running');
    await waitFor(running, isStatus('Running'), 'Running');

    const purged = await client<{ instancesDeleted: number }>('POST', 'purgeBy', { createdTimeFrom: marker.toISOString(), runtimeStatus: ['Completed'] });
    for (const purgeId of batch) expect((await send('GET', statusUrl(purgeId))).status).toBe(404);
    expect((await send('GET', statusUrl(running))).status).toBe(202);
    // The count the caller gets must match what was deleted, not just the deletions themselves.
    expect(purged.body.instancesDeleted).toBe(2);
    const nothingLeft = await client<{ instancesDeleted: number }>('POST', 'purgeBy', { createdTimeFrom: marker.toISOString(), runtimeStatus: ['Completed'] });
    expect(nothingLeft.body.instancesDeleted).toBe(0);
    await client('POST', `terminate/${running}`);
  });

  it('createCheckStatusResponse: every URL it returns answers correctly, through the whole life of an instance', async () => {
    const started = await client<CheckStatus>('POST', 'checkStatus/WaitForGo');
    expect(started.status).toBe(202);
    const urls = started.body;
    expect(started.headers.get('location')).toBe(urls.statusQueryGetUri);
    const { id: _id, ...links } = urls;
    for (const link of Object.values(links)) expect(link.startsWith(`${host.url}/runtime/webhooks/durabletask/instances/${urls.id}`)).toBe(true);
    const fill = (template: string, event = 'Go') => template.replace('{eventName}', event).replace('{text}', 'checked');

    await waitFor(urls.id, isStatus('Running'), 'Running');
    const running = await send<Status>('GET', urls.statusQueryGetUri);
    expect(running.status).toBe(202);
    expect(running.headers.get('location')).toBe(urls.statusQueryGetUri);

    expect((await send('POST', fill(urls.suspendPostUri))).status).toBe(202);
    await waitFor(urls.id, isStatus('Suspended'), 'Suspended');
    expect((await send('GET', urls.statusQueryGetUri)).status).toBe(202);
    expect((await send('POST', fill(urls.resumePostUri))).status).toBe(202);
    await waitFor(urls.id, isStatus('Running'), 'Running');
    expect((await send('POST', fill(urls.sendEventPostUri), 'via url')).status).toBe(202);
    await waitFor(urls.id, isStatus('Completed'), 'Completed');
    const completed = await send<Status>('GET', urls.statusQueryGetUri);
    expect(completed.status).toBe(200);
    expect(completed.body.output).toEqual({ went: 'via url' });

    for (const uri of [urls.terminatePostUri, urls.suspendPostUri, urls.resumePostUri]) expect((await send('POST', fill(uri))).status).toBe(410);
    expect((await send('POST', fill(urls.sendEventPostUri), 1)).status).toBe(410);

    const restarted = await send<CheckStatus>('POST', urls.restartPostUri);
    expect(restarted.status).toBe(202);
    expect(restarted.body.id).not.toBe(urls.id);
    await waitFor(restarted.body.id, isStatus('Running'), 'Running');
    expect((await send('POST', fill(restarted.body.terminatePostUri))).status).toBe(202);
    expect((await waitFor(restarted.body.id, isStatus('Terminated'), 'Terminated')).runtimeStatus).toBe('Terminated');

    const purged = await send('DELETE', urls.purgeHistoryDeleteUri);
    expect(purged.status).toBe(200);
    expect(purged.body).toEqual({ instancesDeleted: 1 });
    expect((await send('GET', urls.statusQueryGetUri)).status).toBe(404);
  });

  it('waitForCompletionOrCreateCheckStatusResponse: the output when done in time, 202 when not, 500 when failed', async () => {
    const quick = await client('POST', 'waitFor/Sequence?timeoutMs=20000&retryMs=50', CITIES);
    expect(quick.status).toBe(200);
    expect(quick.body).toEqual(GREETINGS);

    const slow = await client<CheckStatus>('POST', 'waitFor/WaitForGo?timeoutMs=300&retryMs=100');
    expect(slow.status).toBe(202);
    expect(slow.headers.get('location')).toBe(slow.body.statusQueryGetUri);
    expect((await send('GET', slow.body.statusQueryGetUri)).status).toBe(202);
    await client('POST', `terminate/${slow.body.id}`);

    const failed = await client<Status>('POST', 'waitFor/Failing?timeoutMs=20000&retryMs=50', 'boom');
    expect(failed.status).toBe(500);
    expect(failed.body.runtimeStatus).toBe('Failed');
  });

  it('createHttpManagementPayload points at this host', async () => {
    const payload = await client<CheckStatus>('GET', 'payload/some-id');
    expect(payload.body.id).toBe('some-id');
    expect(payload.body.statusQueryGetUri).toBe(`${host.url}/runtime/webhooks/durabletask/instances/some-id?taskHub=ClientConformanceHub&connection=Storage`);
  });
});
