import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningLocalHost } from '../src/host.js';
import { startFixtureHost } from './support/fixture-host.js';

/**
 * The app's hooks, run as the Node worker runs them, around HTTP, timer, orchestration and activity invocations
 * (tools/functions-localhost/test/fixtures/hooks-app records every hook call on globalThis.__hookEvents).
 */
interface HookEvent {
  readonly hook: string;
  readonly name?: string;
  readonly [field: string]: unknown;
}

const events = (): HookEvent[] => (globalThis as { __hookEvents?: HookEvent[] }).__hookEvents ?? [];
const eventsOf = (name: string) => events().filter((e) => e.name === name);
let host: RunningLocalHost;
let log: string[];

beforeAll(async () => {
  ({ host, log } = await startFixtureHost('hooks-app'));
});

afterAll(async () => {
  await host?.stop();
});

describe('local host: invocation hooks', () => {
  it('runs appStart before anything else, without a warning that hooks are not called', () => {
    expect(events()[0]).toEqual({ hook: 'appStart', exposesAppHookData: false });
    expect(log.some((line) => /hooks.*does not call/.test(line))).toBe(false);
  });

  it('runs pre hooks in order, then the handler, then post hooks, sharing hookData per invocation', async () => {
    const res = await fetch(`${host.apiUrl}/plain`);
    expect(await res.text()).toBe('plain');
    const seen = eventsOf('plain');
    expect(seen.map((e) => e.hook)).toEqual(['pre1', 'pre2', 'handler', 'post']);
    expect(seen[0]).toMatchObject({ inputCount: 1 });
    expect(seen[1]).toMatchObject({ preSeen: 'pre:plain' });
    expect(seen[3]).toMatchObject({ preSeen: 'pre:plain', error: null });
    expect(seen[3]!['result']).toEqual({ body: 'plain' });
  });

  it('gives each invocation its own hookData', async () => {
    const before = eventsOf('plain').length;
    await (await fetch(`${host.apiUrl}/plain`)).text();
    await (await fetch(`${host.apiUrl}/plain`)).text();
    const posts = eventsOf('plain').slice(before).filter((e) => e.hook === 'post');
    // The pre hook counts invocations in hookData: a shared object would show 2 or more.
    expect(posts.map((e) => e['count'])).toEqual([1, 1]);
  });

  it('calls the handler a pre hook puts in functionHandler instead of the registered one', async () => {
    const res = await fetch(`${host.apiUrl}/replacedHandler`);
    expect(await res.text()).toBe('from the replacement handler');
    expect(eventsOf('replacedHandler').find((e) => e.hook === 'post')!['result']).toEqual({ body: 'from the replacement handler' });
  });

  it('passes the inputs a pre hook replaced to the handler', async () => {
    const res = await fetch(`${host.apiUrl}/replacedInputs`);
    expect(await res.text()).toBe('replaced input');
  });

  it('answers with the result a post hook put in place of the handler result', async () => {
    const res = await fetch(`${host.apiUrl}/replacedResult`);
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('from the post hook');
  });

  it('shows a handler error to post hooks, and fails the invocation with it', async () => {
    const res = await fetch(`${host.apiUrl}/failing`);
    expect(res.status).toBe(500);
    expect(eventsOf('failing').find((e) => e.hook === 'post')).toMatchObject({ error: 'handler failed', result: null });
    expect(log.some((line) => line.includes('Function.failing') && line.includes('handler failed'))).toBe(true);
  });

  it('lets a post hook clear the error and answer a result instead', async () => {
    const res = await fetch(`${host.apiUrl}/swallowedError`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('recovered by the post hook');
  });

  it('fails an invocation whose post hook sets an error even though the handler succeeded', async () => {
    const res = await fetch(`${host.apiUrl}/errorFromHook`);
    expect(res.status).toBe(500);
    expect(log.some((line) => line.includes('Function.errorFromHook') && line.includes('set by the post hook'))).toBe(true);
  });

  it('runs the hooks around timer invocations', async () => {
    await vi.waitUntil(() => eventsOf('hookedTimer').some((e) => e.hook === 'post'), { timeout: 10_000, interval: 50 });
    expect(eventsOf('hookedTimer').map((e) => e.hook)).toEqual(['pre1', 'pre2', 'handler', 'post']);
  });

  it('runs the hooks around orchestrator episodes and activity invocations the durable engine makes', async () => {
    const res = await fetch(`${host.apiUrl}/startOrchestration`, { method: 'POST' });
    const { id } = (await res.json()) as { id: string };
    const status = await host.engine!.waitForCompletion(id, { timeoutInMs: 30_000 });
    expect(status.output).toBe('activity got x');
    expect(eventsOf('activityHooked').map((e) => e.hook)).toEqual(['pre1', 'pre2', 'handler', 'post']);
    expect(eventsOf('activityHooked').at(-1)).toMatchObject({ result: 'activity got x', error: null });
    // One episode to schedule the activity, one to complete with its result: pre and post around each.
    const orchestratorHooks = eventsOf('orchestratorHooked').map((e) => e.hook);
    expect(orchestratorHooks.length).toBeGreaterThanOrEqual(6);
    expect(orchestratorHooks.slice(0, 3)).toEqual(['pre1', 'pre2', 'post']);
    expect(eventsOf('orchestratorHooked').every((e) => e.hook === 'pre1' || e['preSeen'] === 'pre:orchestratorHooked')).toBe(true);
  });

  it('runs appTerminate on stop with the hookData appStart set', async () => {
    await host.stop();
    expect(events().at(-1)).toEqual({ hook: 'appTerminate', startedBy: 'appStart' });
  });
});
