import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VALUE_LENGTH } from '../../src/durable/chunked-text.js';
import { EngineFixture, durableFunctions } from './engine-harness.js';

/** Status, query, purge, large values and restarts of the engine, against a real Azurite. */

const fixture = new EngineFixture();
beforeAll(async () => {
  const df = await durableFunctions();
  df.app.activity('apiEcho', { handler: (input: unknown) => input });
  df.app.orchestration('apiEcho', function* (context) {
    const echoed: unknown = yield context.df.callActivity('apiEcho', context.df.getInput());
    return echoed;
  });
  df.app.orchestration('apiWait', function* (context) {
    const first: unknown = yield context.df.callActivity('apiEcho', 'before');
    const event: unknown = yield context.df.waitForExternalEvent('Go');
    return { first, event };
  });
  df.app.activity('apiHugeResult', { handler: () => 'r'.repeat(MAX_VALUE_LENGTH + 10) });
  df.app.orchestration('apiHuge', function* (context) {
    let activityError = '';
    try {
      yield context.df.callActivity('apiHugeResult', null);
    } catch (error) {
      activityError = (error as Error).message;
    }
    context.df.setCustomStatus(activityError.slice(0, 200));
    return 'o'.repeat(MAX_VALUE_LENGTH + 10);
  });
  df.app.orchestration('apiParentOfWaiter', function* (context) {
    const fromChild: unknown = yield context.df.callSubOrchestrator('apiWait', null, `${context.df.instanceId}-child`);
    const timerAt = new Date(context.df.currentUtcDateTime.getTime() + 200);
    yield context.df.createTimer(timerAt);
    return { fromChild };
  });
  df.app.orchestration('apiFanSlow', function* (context) {
    const results = (yield context.df.Task.all(Array.from({ length: 12 }, (_v, i) => context.df.callActivity('apiSlow', i)))) as number[];
    return results.length;
  });
  await fixture.start();
});
afterAll(() => fixture.stop());

describe('durable engine API', () => {
  it("shows history in the extension's view (activities folded into their completion), outputs only on request, and honours showInput=false", async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('apiEcho', { input: { a: 1 } });
    await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    const plain = await engine.getStatus(id, { showHistory: true });
    expect(plain?.history?.map((e) => e.EventType)).toEqual(['ExecutionStarted', 'TaskCompleted', 'ExecutionCompleted']);
    expect(plain?.history?.[0]).toEqual({ EventType: 'ExecutionStarted', Timestamp: expect.any(String) as unknown, FunctionName: 'apiEcho', Input: '{"a":1}' });
    expect(plain?.history?.[1]).toEqual({ EventType: 'TaskCompleted', Timestamp: expect.any(String) as unknown, FunctionName: 'apiEcho', ScheduledTime: expect.any(String) as unknown, Input: '{"a":1}' });
    const withOutput = await engine.getStatus(id, { showHistory: true, showHistoryOutput: true, showInput: false });
    expect(withOutput?.history?.find((e) => e.EventType === 'TaskCompleted')?.Result).toEqual({ a: 1 });
    expect(withOutput?.input).toBeNull();
    expect(withOutput?.output).toEqual({ a: 1 });
    expect(await engine.getStatus('nobody-home')).toBeUndefined();
  });

  it('queries by status, creation time and id prefix with continuation tokens; purges finished instances only', async () => {
    const engine = await fixture.engine();
    const from = new Date(Date.now() - 1000);
    const done = await Promise.all([1, 2, 3, 4, 5].map((n) => engine.startNew('apiEcho', { instanceId: `q-done-${n}`, input: n })));
    for (const id of done) await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    const waiting = await engine.startNew('apiWait', { instanceId: 'q-wait' });
    await engine.waitForIdle({ timeoutInMs: 20_000 });

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await engine.query({ runtimeStatus: ['Completed'], pageSize: 2, ...(token ? { continuationToken: token } : {}) });
      seen.push(...page.instances.map((i) => i.instanceId));
      token = page.continuationToken;
      pages += 1;
    } while (token && pages < 10);
    expect(seen.sort()).toEqual(done.sort());
    expect(pages).toBeGreaterThanOrEqual(3);

    const running = await engine.query({ runtimeStatus: ['Running'] });
    expect(running.instances.map((i) => i.instanceId)).toEqual([waiting]);
    expect((await engine.query({ instanceIdPrefix: 'q-done-' })).instances).toHaveLength(5);
    expect((await engine.query({ createdTimeFrom: new Date(Date.now() + 60_000) })).instances).toHaveLength(0);
    expect((await engine.query({ createdTimeFrom: from })).instances).toHaveLength(6);

    expect(await engine.purge(waiting)).toBe(0); // still running
    expect(await engine.purge('q-done-1')).toBe(1);
    expect(await engine.getStatus('q-done-1')).toBeUndefined();
    expect(await engine.purge('q-done-1')).toBe(0);
    expect(await engine.purgeBy({ instanceIdPrefix: 'q-done-', runtimeStatus: ['Completed'] })).toBe(4);
    expect((await engine.query({})).instances.map((i) => i.instanceId)).toEqual([waiting]);
  });

  it('chunks values larger than one Table property and refuses ones beyond the entity limit', async () => {
    const engine = await fixture.engine();
    const big = 'x'.repeat(140_000); // five 30,000-character properties
    const id = await engine.startNew('apiEcho', { input: big });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(big);
    expect((await engine.getStatus(id))?.input).toBe(big);
    await expect(engine.startNew('apiEcho', { input: 'y'.repeat(MAX_VALUE_LENGTH) })).rejects.toMatchObject({ code: 'InvalidRequest', httpStatus: 400 });
  });

  it('turns values too large to store into failures instead of retrying forever', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('apiHuge');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain(`stores at most ${MAX_VALUE_LENGTH}`);
    expect(String(status.customStatus)).toContain(`stores at most ${MAX_VALUE_LENGTH}`); // the activity's TaskFailed
  });

  it('runs activities in parallel, never more than maxConcurrentActivities at once', async () => {
    const engine = await fixture.engine({ maxConcurrentActivities: 3 });
    let active = 0;
    let peak = 0;
    engine.registerActivity('apiSlow', async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 30));
      active -= 1;
      return 1;
    });
    const id = await engine.startNew('apiFanSlow');
    expect((await engine.waitForCompletion(id, { timeoutInMs: 20_000 })).output).toBe(12);
    expect(peak).toBe(3);
  });

  it('resumes from the table after a restart: a new engine on the same hub finishes what the old one started', async () => {
    const first = await fixture.engine({ taskHubName: 'restarthub' });
    const id = await first.startNew('apiWait', { instanceId: 'survivor' });
    await first.waitForIdle({ timeoutInMs: 20_000 });
    await first.stop();

    const second = await fixture.engine({ taskHubName: 'restarthub' });
    expect((await second.getStatus(id))?.runtimeStatus).toBe('Running');
    await second.raiseEvent(id, 'Go', 'after restart');
    const status = await second.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toEqual({ first: 'before', event: 'after restart' });
    expect(second.activityInvocationCount).toBe(0); // the completed activity was not redone
  });

  it('recovers a parent and its running child after a restart; the child result reaches the parent', async () => {
    const first = await fixture.engine({ taskHubName: 'familyhub' });
    const id = await first.startNew('apiParentOfWaiter', { instanceId: 'family' });
    await first.waitForIdle({ timeoutInMs: 20_000 });
    expect((await first.getStatus('family-child'))?.runtimeStatus).toBe('Running');
    await first.stop();

    const second = await fixture.engine({ taskHubName: 'familyhub' });
    await second.raiseEvent('family-child', 'Go', 'child resumed');
    const status = await second.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toEqual({ fromChild: { first: 'before', event: 'child resumed' } });
  });
});
