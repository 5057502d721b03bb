import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  DurableEngine,
  InstanceFilter,
  InstancePage,
  InstanceQuery,
  InstanceStatus,
  RuntimeStatus,
  StartOptions,
  StatusOptions,
} from '../../src/durable/contract.js';
import { TERMINAL_STATUSES, instanceAlreadyRunning, instanceNotFound, instanceNotRunning, unknownOrchestrator } from '../../src/durable/contract.js';
import { createManagementApi } from '../../src/durable/management-api.js';
import type { ManagementApi } from '../../src/durable/management-api.js';

/**
 * The HTTP mapping of the management API, over real sockets, against a small in-memory engine double that exists
 * only to provoke every status code and edge. Behaviour against the real engine is the conformance suite's job
 * (client-conformance.test.ts); here the double lets each test set an instance to exactly the state it needs.
 */

interface Call {
  readonly op: string;
  readonly args: readonly unknown[];
}

/** Every engine call crosses an await, as real storage I/O does. */
const settle = () => Promise.resolve();

class InMemoryEngine implements DurableEngine {
  readonly taskHubName = 'UnitHub';
  readonly instances = new Map<string, InstanceStatus>();
  readonly calls: Call[] = [];
  orchestrators = new Set(['Hello']);
  failNext: Error | undefined;
  private counter = 0;

  registerOrchestrator(): void {}
  registerActivity(): void {}
  hasOrchestrator(name: string): boolean {
    return this.orchestrators.has(name);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  put(id: string, runtimeStatus: RuntimeStatus, extra: Partial<InstanceStatus> = {}, createdTime = '2024-05-01T10:00:00Z'): void {
    this.instances.set(id, {
      name: 'Hello',
      instanceId: id,
      runtimeStatus,
      input: { city: 'Tokyo' },
      output: runtimeStatus === 'Completed' ? 'Hello Tokyo' : null,
      customStatus: null,
      createdTime,
      lastUpdatedTime: createdTime,
      ...extra,
    });
  }

  private maybeFail(): void {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }

  async startNew(orchestratorName: string, options: StartOptions = {}): Promise<string> {
    await settle();
    this.calls.push({ op: 'startNew', args: [orchestratorName, options] });
    this.maybeFail();
    if (!this.hasOrchestrator(orchestratorName)) throw unknownOrchestrator(orchestratorName);
    const id = options.instanceId ?? `generated-${++this.counter}`;
    const existing = this.instances.get(id);
    if (existing && !TERMINAL_STATUSES.includes(existing.runtimeStatus)) throw instanceAlreadyRunning(id);
    this.put(id, 'Running', { name: orchestratorName, input: options.input ?? null });
    return id;
  }

  async getStatus(instanceId: string, options: StatusOptions = {}): Promise<InstanceStatus | undefined> {
    await settle();
    this.calls.push({ op: 'getStatus', args: [instanceId, options] });
    this.maybeFail();
    const status = this.instances.get(instanceId);
    if (!status) return undefined;
    const shaped: InstanceStatus = {
      ...status,
      input: options.showInput === false ? undefined : status.input,
      ...(options.showHistory
        ? { history: [{ EventType: 'ExecutionStarted', Timestamp: status.createdTime, ...(options.showHistoryOutput ? { Result: 'r' } : {}) }] }
        : {}),
    };
    return shaped;
  }

  async query(query: InstanceQuery = {}): Promise<InstancePage> {
    await settle();
    this.calls.push({ op: 'query', args: [query] });
    const all = [...this.instances.values()].filter(
      (s) =>
        (!query.runtimeStatus || query.runtimeStatus.includes(s.runtimeStatus)) &&
        (!query.instanceIdPrefix || s.instanceId.startsWith(query.instanceIdPrefix)),
    );
    // A token with characters no header may carry, to prove the API keeps tokens opaque and header-safe.
    const offset = query.continuationToken ? (JSON.parse(query.continuationToken) as { offset: number }).offset : 0;
    const size = query.pageSize ?? 100;
    const next = offset + size;
    return {
      instances: all.slice(offset, next),
      ...(next < all.length ? { continuationToken: JSON.stringify({ offset: next, note: 'päge\n' }) } : {}),
    };
  }

  async raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void> {
    await settle();
    this.calls.push({ op: 'raiseEvent', args: [instanceId, eventName, eventData] });
    const status = this.instances.get(instanceId);
    if (!status) throw instanceNotFound(instanceId);
    if (TERMINAL_STATUSES.includes(status.runtimeStatus)) throw instanceNotRunning(instanceId, status.runtimeStatus);
  }
  async terminate(instanceId: string, reason?: string): Promise<void> {
    await settle();
    this.calls.push({ op: 'terminate', args: [instanceId, reason] });
    this.put(instanceId, 'Terminated');
  }
  async suspend(instanceId: string, reason?: string): Promise<void> {
    await settle();
    this.calls.push({ op: 'suspend', args: [instanceId, reason] });
    this.put(instanceId, 'Suspended');
  }
  async resume(instanceId: string, reason?: string): Promise<void> {
    await settle();
    this.calls.push({ op: 'resume', args: [instanceId, reason] });
    this.put(instanceId, 'Running');
  }
  async purge(instanceId: string): Promise<number> {
    await settle();
    this.calls.push({ op: 'purge', args: [instanceId] });
    return this.instances.delete(instanceId) ? 1 : 0;
  }
  async purgeBy(filter: InstanceFilter): Promise<number> {
    await settle();
    this.calls.push({ op: 'purgeBy', args: [filter] });
    let deleted = 0;
    for (const [id, status] of this.instances) {
      if (TERMINAL_STATUSES.includes(status.runtimeStatus) && (!filter.runtimeStatus || filter.runtimeStatus.includes(status.runtimeStatus))) {
        this.instances.delete(id);
        deleted++;
      }
    }
    return deleted;
  }
  async waitForIdle(): Promise<void> {}
  async waitForCompletion(instanceId: string): Promise<InstanceStatus> {
    await settle();
    // Completes the instance on the spot, standing in for an orchestration that finishes within the timeout.
    this.put(instanceId, 'Completed', { output: ['done', instanceId] });
    return this.instances.get(instanceId)!;
  }
}

const PREFIX = '/runtime/webhooks/durabletask/';
let engine: InMemoryEngine;
let api: ManagementApi;
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!url.pathname.startsWith(PREFIX)) {
      res.writeHead(404).end();
      return;
    }
    void api.handle(req, res, url.pathname.slice(PREFIX.length), url.searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  engine = new InMemoryEngine();
  api = createManagementApi(engine, { baseUrl: origin, defaultPageSize: 2 });
});

const url = (path: string) => `${origin}${PREFIX}${path}`;

function durableClient(): df.DurableClient {
  const clientInput = df.input.durableClient();
  const context = new InvocationContext({ options: { extraInputs: [clientInput] } });
  context.extraInputs.set(clientInput, api.clientBindingValue());
  return df.getClient(context);
}

async function json(response: Response): Promise<unknown> {
  return response.json();
}

describe('clientBindingValue', () => {
  it('has the shape durable-functions reads, with rpcBaseUrl ending in a slash and the extension URL formats', () => {
    const value = api.clientBindingValue();
    const base = `${origin}/runtime/webhooks/durabletask`;
    const suffix = 'taskHub=UnitHub&connection=Storage';
    expect(value).toEqual({
      taskHubName: 'UnitHub',
      creationUrls: {
        createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${suffix}`,
        createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${suffix}`,
      },
      managementUrls: {
        id: 'INSTANCEID',
        statusQueryGetUri: `${base}/instances/INSTANCEID?${suffix}`,
        sendEventPostUri: `${base}/instances/INSTANCEID/raiseEvent/{eventName}?${suffix}`,
        terminatePostUri: `${base}/instances/INSTANCEID/terminate?reason={text}&${suffix}`,
        rewindPostUri: `${base}/instances/INSTANCEID/rewind?reason={text}&${suffix}`,
        purgeHistoryDeleteUri: `${base}/instances/INSTANCEID?${suffix}`,
        restartPostUri: `${base}/instances/INSTANCEID/restart?${suffix}`,
        suspendPostUri: `${base}/instances/INSTANCEID/suspend?reason={text}&${suffix}`,
        resumePostUri: `${base}/instances/INSTANCEID/resume?reason={text}&${suffix}`,
      },
      baseUrl: base,
      requiredQueryStringParameters: suffix,
      rpcBaseUrl: `${base}/`,
    });
    expect(() => durableClient()).not.toThrow();
  });

  it('accepts the webhook base itself as baseUrl and refuses a task hub the engine does not serve', () => {
    const again = createManagementApi(engine, { baseUrl: `${origin}/runtime/webhooks/durabletask/`, connectionName: 'AzureWebJobsStorage' });
    expect(again.clientBindingValue()['rpcBaseUrl']).toBe(`${origin}/runtime/webhooks/durabletask/`);
    expect(again.clientBindingValue().requiredQueryStringParameters).toBe('taskHub=UnitHub&connection=AzureWebJobsStorage');
    expect(() => createManagementApi(engine, { baseUrl: origin, taskHubName: 'OtherHub' })).toThrow(/OtherHub/);
  });
});

describe('start', () => {
  it('answers 202 with the check-status payload built from the request origin, Location and Retry-After', async () => {
    const response = await fetch(url('orchestrators/Hello/my-id'), { method: 'POST', body: JSON.stringify({ city: 'Cairo' }), headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(202);
    const body = (await json(response)) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(
      ['id', 'purgeHistoryDeleteUri', 'restartPostUri', 'resumePostUri', 'sendEventPostUri', 'statusQueryGetUri', 'suspendPostUri', 'terminatePostUri'].sort(),
    );
    expect(body['id']).toBe('my-id');
    expect(body['statusQueryGetUri']).toBe(`${url('')}instances/my-id?taskHub=UnitHub&connection=Storage`);
    expect(response.headers.get('location')).toBe(body['statusQueryGetUri']);
    expect(response.headers.get('retry-after')).toBe('10');
    expect(engine.calls.find((c) => c.op === 'startNew')?.args).toEqual(['Hello', { instanceId: 'my-id', input: { city: 'Cairo' } }]);
  });

  it('is what DurableClient.startNew calls, with and without an instance id; 409 and 400 reach the caller', async () => {
    const client = durableClient();
    expect(await client.startNew('Hello')).toBe('generated-1');
    expect(await client.startNew('Hello', { instanceId: 'fixed', input: [1, 2] })).toBe('fixed');
    expect(engine.instances.get('fixed')?.input).toEqual([1, 2]);
    await expect(client.startNew('Hello', { instanceId: 'fixed' })).rejects.toThrow(/409.*already running/);
    await expect(client.startNew('Nope')).rejects.toThrow(/400.*Nope/);
  });

  it('starts without input when the body is empty, and rejects malformed JSON, bad ids and extra path segments', async () => {
    expect((await fetch(url('orchestrators/Hello'), { method: 'POST' })).status).toBe(202);
    expect(engine.calls.find((c) => c.op === 'startNew')?.args).toEqual(['Hello', {}]);

    const malformed = await fetch(url('orchestrators/Hello'), { method: 'POST', body: '{"city":' });
    expect(malformed.status).toBe(400);
    const malformedBody = (await json(malformed)) as { code: string; message: string; retryable: boolean };
    expect(malformedBody).toMatchObject({ code: 'InvalidRequest', retryable: false });
    expect(malformedBody.message).toMatch(/not valid JSON/);

    expect((await fetch(url('orchestrators/Hello/a%23b'), { method: 'POST' })).status).toBe(400);
    expect((await fetch(url(`orchestrators/Hello/${'x'.repeat(257)}`), { method: 'POST' })).status).toBe(400);
    expect((await fetch(url('orchestrators/Hello/a/b'), { method: 'POST' })).status).toBe(404);
    const wrongMethod = await fetch(url('orchestrators/Hello'));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('waits for the outcome when timeout and pollingInterval are given (createAndWaitOnNewInstancePostUri)', async () => {
    const response = await fetch(url('orchestrators/Hello/waited?timeout=5&pollingInterval=1'), { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual(['done', 'waited']);
    expect((await fetch(url('orchestrators/Hello?timeout=1&pollingInterval=2'), { method: 'POST' })).status).toBe(400);
  });
});

describe('status', () => {
  it('answers 202 with Location and Retry-After while running, 200 when finished, 404 when unknown', async () => {
    engine.put('run', 'Running');
    const running = await fetch(url('instances/run?taskHub=UnitHub&connection=Storage'));
    expect(running.status).toBe(202);
    expect(running.headers.get('location')).toBe(url('instances/run?taskHub=UnitHub&connection=Storage'));
    expect(running.headers.get('retry-after')).toBe('5');

    engine.put('suspended', 'Suspended');
    expect((await fetch(url('instances/suspended'))).status).toBe(202);

    engine.put('done', 'Completed');
    const done = await fetch(url('instances/done'));
    expect(done.status).toBe(200);
    expect(done.headers.get('location')).toBeNull();
    expect(await json(done)).toEqual({
      name: 'Hello',
      instanceId: 'done',
      runtimeStatus: 'Completed',
      input: { city: 'Tokyo' },
      customStatus: null,
      output: 'Hello Tokyo',
      createdTime: '2024-05-01T10:00:00Z',
      lastUpdatedTime: '2024-05-01T10:00:00Z',
    });

    const missing = await fetch(url('instances/ghost'));
    expect(missing.status).toBe(404);
    const missingBody = (await json(missing)) as { code: string; message: string };
    expect(missingBody.code).toBe('InstanceNotFound');
    expect(missingBody.message).toContain('ghost');
  });

  it('answers a Failed instance with 200, or 500 when returnInternalServerErrorOnFailure=true', async () => {
    engine.put('broken', 'Failed', { output: 'boom' });
    expect((await fetch(url('instances/broken'))).status).toBe(200);
    expect((await fetch(url('instances/broken?returnInternalServerErrorOnFailure=true'))).status).toBe(500);
  });

  it('passes showHistory, showHistoryOutput and showInput through, keeping input present and history readable by the SDK', async () => {
    engine.put('h', 'Completed');
    const client = durableClient();
    const status = await client.getStatus('h', { showHistory: true, showHistoryOutput: true });
    expect(engine.calls.at(-1)).toEqual({ op: 'getStatus', args: ['h', { showHistory: true, showHistoryOutput: true, showInput: true }] });
    expect(status.input).toEqual({ city: 'Tokyo' });
    expect(status.output).toBe('Hello Tokyo');
    expect(status.history).toEqual([{ EventType: 'ExecutionStarted', Timestamp: '2024-05-01T10:00:00Z', Result: 'r' }]);
    // durable-functions drops showInput=false on its rpc path (it only sends truthy flags), so ask directly.
    const withoutInput = (await json(await fetch(url('instances/h?showInput=false')))) as Record<string, unknown>;
    expect(engine.calls.at(-1)?.args[1]).toMatchObject({ showInput: false });
    expect(withoutInput).toHaveProperty('input', null);
    const raw = (await json(await fetch(url('instances/h?showHistory=true')))) as Record<string, unknown>;
    expect(raw['historyEvents']).toEqual(raw['history']);

    expect((await fetch(url('instances/h?showHistory=yes'))).status).toBe(400);
    await expect(client.getStatus('ghost')).rejects.toThrow(/404/);
  });

  it('decodes percent-encoded instance ids', async () => {
    engine.put('with space', 'Completed');
    const response = await fetch(url('instances/with%20space'));
    expect(response.status).toBe(200);
    expect(((await json(response)) as { instanceId: string }).instanceId).toBe('with space');
  });
});

describe('query', () => {
  it('pages with x-ms-continuation-token, and DurableClient.getStatusAll follows every page', async () => {
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) engine.put(id, 'Completed');
    const first = await fetch(url('instances/'));
    expect(first.status).toBe(200);
    expect(((await json(first)) as unknown[]).length).toBe(2);
    const token = first.headers.get('x-ms-continuation-token');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await fetch(url('instances/'), { headers: { 'x-ms-continuation-token': token! } });
    expect(((await json(second)) as { instanceId: string }[]).map((s) => s.instanceId)).toEqual(['a3', 'a4']);

    const all = await durableClient().getStatusAll();
    expect(all.map((s) => s.instanceId)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    const last = await fetch(url('instances?top=10'));
    expect(last.headers.get('x-ms-continuation-token')).toBeNull();
  });

  it('parses every filter and refuses malformed ones', async () => {
    engine.put('p-1', 'Running');
    engine.put('p-2', 'Completed');
    engine.put('q-1', 'Failed');
    const found = await durableClient().getStatusBy({
      createdTimeFrom: new Date('2024-01-01T00:00:00Z'),
      createdTimeTo: new Date('2025-01-01T00:00:00Z'),
      runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Failed],
    });
    expect(found.map((s) => s.instanceId).sort()).toEqual(['p-1', 'q-1']);
    const queried = engine.calls.filter((c) => c.op === 'query').at(-1)?.args[0] as InstanceQuery;
    expect(queried.createdTimeFrom?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(queried.createdTimeTo?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(queried.runtimeStatus).toEqual(['Running', 'Failed']);

    const prefixed = await fetch(url('instances/?instanceIdPrefix=p-&top=5&showInput=false'));
    expect(((await json(prefixed)) as { instanceId: string }[]).map((s) => s.instanceId)).toEqual(['p-1', 'p-2']);
    expect(engine.calls.at(-1)?.args[0]).toMatchObject({ instanceIdPrefix: 'p-', pageSize: 5, showInput: false });

    expect((await fetch(url('instances/?runtimeStatus=Runing'))).status).toBe(400);
    expect((await fetch(url('instances/?createdTimeFrom=yesterday'))).status).toBe(400);
    expect((await fetch(url('instances/?top=0'))).status).toBe(400);
    expect((await fetch(url('instances/'), { headers: { 'x-ms-continuation-token': 'not a token!' } })).status).toBe(400);
  });
});

describe('raiseEvent, terminate, suspend, resume', () => {
  it('raises events with 202, 410 once finished, 404 when unknown, and refuses non-JSON payloads', async () => {
    engine.put('r', 'Running');
    engine.put('f', 'Completed');
    const client = durableClient();
    await client.raiseEvent('r', 'Approval', { ok: true });
    expect(engine.calls.find((c) => c.op === 'raiseEvent')?.args).toEqual(['r', 'Approval', { ok: true }]);
    await client.raiseEvent('r', 'Empty', undefined);
    expect(engine.calls.filter((c) => c.op === 'raiseEvent').at(-1)?.args).toEqual(['r', 'Empty', null]);

    expect((await fetch(url('instances/f/raiseEvent/Approval'), { method: 'POST', body: '1', headers: { 'content-type': 'application/json' } })).status).toBe(410);
    await expect(client.raiseEvent('ghost', 'Approval', 1)).rejects.toThrow(/No instance with ID 'ghost'/);
    expect((await fetch(url('instances/r/raiseEvent/Approval'), { method: 'POST', body: 'yes', headers: { 'content-type': 'text/plain' } })).status).toBe(400);
    expect((await fetch(url('instances/r/raiseEvent/Approval'), { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('terminates, suspends and resumes with the reason, 410 once finished, 404 when unknown', async () => {
    engine.put('t', 'Running');
    const client = durableClient();
    await client.suspend('t', 'pause please');
    expect(engine.calls.find((c) => c.op === 'suspend')?.args).toEqual(['t', 'pause please']);
    await client.resume('t', 'go on');
    expect(engine.calls.find((c) => c.op === 'resume')?.args).toEqual(['t', 'go on']);
    await client.terminate('t', 'stop it');
    expect(engine.calls.find((c) => c.op === 'terminate')?.args).toEqual(['t', 'stop it']);

    for (const verb of ['terminate', 'suspend', 'resume']) {
      expect((await fetch(url(`instances/t/${verb}?reason=x`), { method: 'POST' })).status).toBe(410);
      expect((await fetch(url(`instances/ghost/${verb}`), { method: 'POST' })).status).toBe(404);
    }
    await expect(client.terminate('ghost', 'x')).rejects.toThrow(/No instance with ID 'ghost'/);
    expect(engine.calls.filter((c) => c.op === 'terminate')).toHaveLength(1);
  });
});

describe('purge', () => {
  it('purges one finished instance (200), refuses a running one (412), 404 when unknown', async () => {
    engine.put('done', 'Completed');
    engine.put('busy', 'Running');
    const client = durableClient();
    expect(await client.purgeInstanceHistory('done')).toEqual({ instancesDeleted: 1 });
    expect(engine.instances.has('done')).toBe(false);
    expect((await client.purgeInstanceHistory('ghost')).instancesDeleted).toBe(0);
    const busy = await fetch(url('instances/busy'), { method: 'DELETE' });
    expect(busy.status).toBe(412);
    expect(engine.instances.has('busy')).toBe(true);
  });

  it('purges by filter, needs createdTimeFrom, and answers 404 when nothing matched', async () => {
    engine.put('c1', 'Completed');
    engine.put('c2', 'Failed');
    engine.put('r1', 'Running');
    const client = durableClient();
    const result = await client.purgeInstanceHistoryBy({
      createdTimeFrom: new Date('2024-01-01T00:00:00Z'),
      runtimeStatus: [df.OrchestrationRuntimeStatus.Completed, df.OrchestrationRuntimeStatus.Failed],
    });
    expect(result.instancesDeleted).toBe(2);
    const filter = engine.calls.find((c) => c.op === 'purgeBy')?.args[0] as InstanceFilter;
    expect(filter.runtimeStatus).toEqual(['Completed', 'Failed']);
    expect(filter.createdTimeTo).toBeInstanceOf(Date);
    expect((await client.purgeInstanceHistoryBy({ createdTimeFrom: new Date('2024-01-01T00:00:00Z') })).instancesDeleted).toBe(0);
    expect((await fetch(url('instances/'), { method: 'DELETE' })).status).toBe(400);
  });
});

describe('rewind, restart and what is not implemented', () => {
  it('answers rewind with 501 for a Failed instance and 412 otherwise', async () => {
    engine.put('failed', 'Failed');
    engine.put('done', 'Completed');
    const client = durableClient();
    await expect(client.rewind('failed', 'try again')).rejects.toThrow(/Rewind is not implemented/);
    expect((await fetch(url('instances/done/rewind'), { method: 'POST' })).status).toBe(412);
    expect((await fetch(url('instances/ghost/rewind'), { method: 'POST' })).status).toBe(404);
  });

  it('restarts with the same input under a new id, or under the same id once finished', async () => {
    engine.put('old', 'Completed', { input: { city: 'Seattle' } });
    const fresh = await fetch(url('instances/old/restart'), { method: 'POST' });
    expect(fresh.status).toBe(202);
    const newId = ((await json(fresh)) as { id: string }).id;
    expect(newId).not.toBe('old');
    expect(engine.instances.get(newId)?.input).toEqual({ city: 'Seattle' });

    const same = await fetch(url('instances/old/restart?restartWithNewInstanceId=false'), { method: 'POST' });
    expect(same.status).toBe(202);
    expect(engine.instances.get('old')?.runtimeStatus).toBe('Running');
    expect((await fetch(url('instances/old/restart?restartWithNewInstanceId=false'), { method: 'POST' })).status).toBe(409);
  });

  it('answers entities with 501, unknown routes with 404, another task hub with 404 and engine failures with 500', async () => {
    expect((await fetch(url('entities/Counter/1'))).status).toBe(501);
    expect((await fetch(url('nothing/here'))).status).toBe(404);
    expect((await fetch(url('instances/x/explode'), { method: 'POST' })).status).toBe(404);
    expect((await fetch(url('instances/x'), { method: 'PUT' })).status).toBe(405);
    const otherHub = await fetch(url('instances/x?taskHub=OtherHub'));
    expect(otherHub.status).toBe(404);
    expect(await json(otherHub)).toMatchObject({ code: 'UnknownTaskHub' });
    expect((await fetch(url('instances/x?taskhub=unithub'))).status).toBe(404 /* known hub, unknown instance */);
    expect(await json(await fetch(url('instances/x?taskhub=unithub')))).toMatchObject({ code: 'InstanceNotFound' });

    engine.failNext = new Error('table unavailable');
    const failed = await fetch(url('instances/x'));
    expect(failed.status).toBe(500);
    const failedBody = (await json(failed)) as { code: string; message: string };
    expect(failedBody.code).toBe('UnexpectedError');
    expect(failedBody.message).toContain('table unavailable');
  });
});
