import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDurableEngine, type LocalDurableEngine, type LocalDurableEngineOptions } from '../../src/durable/engine.js';
import { LEASE_PARTITION, LEASE_ROW_KEY, TaskHubOwnedError } from '../../src/durable/task-hub-lease.js';
import { DurableStore } from '../../src/durable/table-store.js';
import { EngineFixture, durableFunctions, registerCaptured } from './engine-harness.js';
import { requireFreshBuild } from '../../../../test/support/compiled.js';

beforeAll(() => requireFreshBuild());

/**
 * One engine per task hub: a second one is refused while the owner lives, takes over at once when the owner's
 * process on this machine is gone (restart after SIGKILL), and takes over an expired lease. Storage: Azurite.
 */

const runner = fileURLToPath(new URL('../fixtures/durable-crash-app/runner.mjs', import.meta.url));
const distEngine = fileURLToPath(new URL('../../dist/durable/engine.js', import.meta.url));
const fixture = new EngineFixture();
let workDir: string;

beforeAll(async () => {
  await fixture.start();
  workDir = mkdtempSync(join(tmpdir(), 'durable-lease-'));
  const df = await durableFunctions();
  df.app.orchestration('leaseEcho', function* (context) {
    const echoed: unknown = yield context.df.callActivity('leaseEchoStep', context.df.getInput());
    return echoed;
  });
  df.app.activity('leaseEchoStep', { handler: (input: unknown) => ({ echoed: input }) });
});
afterAll(async () => {
  await fixture.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const newHub = () => `lease${randomUUID().replace(/-/g, '').slice(0, 10)}`;

function engineOn(taskHubName: string, options: Partial<LocalDurableEngineOptions> = {}): LocalDurableEngine {
  const engine = createDurableEngine({ connectionString: fixture.azurite!.connectionString, taskHubName, ...options });
  registerCaptured(engine);
  return engine;
}

async function leaseRow(hub: string): Promise<Record<string, unknown> | undefined> {
  const store = new DurableStore(fixture.azurite!.connectionString, hub);
  try {
    return await store.instances.getEntity<Record<string, unknown>>(LEASE_PARTITION, LEASE_ROW_KEY);
  } catch {
    return undefined;
  }
}

describe('task hub ownership', () => {
  it('refuses a second engine while the first runs, naming the owner and the expiry; stop() hands the hub over', async () => {
    const hub = newHub();
    const first = engineOn(hub);
    await first.start();
    try {
      const row = await leaseRow(hub);
      expect(row?.owner).toMatch(new RegExp(`^${hostname()}:${process.pid}:`));
      const second = engineOn(hub);
      const refusal = await second.start().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(TaskHubOwnedError);
      const owned = refusal as TaskHubOwnedError;
      expect(owned.code).toBe('TaskHubOwned');
      expect(owned.retryable).toBe(true);
      expect(owned.message).toContain(String(row?.owner));
      expect(owned.message).toContain(String(row?.expiresAt));
      // The refused engine did nothing: the owner still runs instances.
      const id = await first.startNew('leaseEcho', { input: 'still mine' });
      expect((await first.waitForCompletion(id, { timeoutInMs: 20_000 })).output).toEqual({ echoed: 'still mine' });
    } finally {
      await first.stop();
    }
    expect(await leaseRow(hub)).toBeUndefined();
    const next = engineOn(hub);
    await next.start(); // released: no waiting for the expiry
    await next.stop();
  });

  it('takes over at once from an owner process on this machine that was SIGKILLed, before its lease expires', async () => {
    expect(existsSync(distEngine), 'dist/ is missing: run `npm run build` (npm test does it)').toBe(true);
    const hub = newHub();
    const child = spawn(process.execPath, [runner], {
      env: { ...process.env, AZURITE_CONNECTION: fixture.azurite!.connectionString, TASK_HUB: hub, COUNTS_FILE: join(workDir, 'counts.txt'), INSTANCE_ID: 'held', ORCHESTRATOR: 'fleetFlow', LEASE_MS: '600000' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    while (!output.includes('STARTED')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`runner did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const row = await leaseRow(hub);
    expect(row?.owner).toMatch(new RegExp(`^${hostname()}:${child.pid}:`));
    // While it lives, it owns the hub.
    await expect(engineOn(hub).start()).rejects.toBeInstanceOf(TaskHubOwnedError);

    child.kill('SIGKILL');
    await exited;
    const expiresAt = Date.parse(String(row?.expiresAt));
    const successor = engineOn(hub);
    await successor.start();
    try {
      expect(Date.now()).toBeLessThan(expiresAt); // taken over long before the ten-minute lease would have expired
      expect((await leaseRow(hub))?.owner).toMatch(new RegExp(`^${hostname()}:${process.pid}:`));
      expect((await successor.getStatus('held'))?.runtimeStatus).toBe('Running'); // it recovered the killed one's instance
    } finally {
      await successor.stop();
    }
  });

  it('takes over a lease that expired (an owner on another machine that stopped renewing)', async () => {
    const hub = newHub();
    const store = new DurableStore(fixture.azurite!.connectionString, hub);
    await store.createTables();
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    // Another machine's owner: its pid cannot be checked from here, only its expiry counts.
    await store.instances.createEntity({ partitionKey: LEASE_PARTITION, rowKey: LEASE_ROW_KEY, owner: 'other-machine:4242:abcd', host: 'other-machine', pid: 4242, expiresAt });

    const refusal = await engineOn(hub).start().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refusal).toBeInstanceOf(TaskHubOwnedError);
    expect(refusal?.message).toContain('other-machine:4242:abcd');
    expect(refusal?.message).toContain(expiresAt);

    // Time passes for that owner: its lease expires (written, rather than waited for).
    await store.instances.updateEntity({ partitionKey: LEASE_PARTITION, rowKey: LEASE_ROW_KEY, expiresAt: new Date(Date.now() - 1).toISOString() }, 'Merge');
    const successor = engineOn(hub, { lease: { durationMs: 2000, renewEveryMs: 200 } });
    await successor.start();
    try {
      const taken = await leaseRow(hub);
      expect(taken?.owner).toMatch(new RegExp(`^${hostname()}:${process.pid}:`));
      // It renews: the lease is extended past the point where the first one it took would have expired.
      const takenUntil = Date.parse(String(taken?.expiresAt));
      await vi.waitUntil(async () => Date.parse(String((await leaseRow(hub))?.expiresAt)) > takenUntil + 2000, { timeout: 20_000, interval: 100 });
      const renewed = await leaseRow(hub);
      expect(renewed?.owner).toBe(taken?.owner);
      expect(Date.parse(String(renewed?.expiresAt))).toBeGreaterThan(Date.now());
      const id = await successor.startNew('leaseEcho', { input: 1 });
      expect((await successor.waitForCompletion(id, { timeoutInMs: 20_000 })).output).toEqual({ echoed: 1 });
    } finally {
      await successor.stop();
    }
  });

  it('an engine that finds its lease taken over stops, and its stop() leaves the successor\'s lease alone', async () => {
    const hub = newHub();
    const logs: string[] = [];
    // Renews only long after its lease has expired (as a process stalled longer than the lease would), leaving the
    // successor ample time to take over first.
    const first = engineOn(hub, { lease: { durationMs: 300, renewEveryMs: 3000 }, log: (_level, message) => logs.push(message) });
    await first.start();
    // Taking over needs the lease expired: wait for its own expiry, not a guessed delay. (A wall-clock wait remains:
    // the lease code reads the real clock.)
    const firstUntil = Date.parse(String((await leaseRow(hub))?.expiresAt));
    await vi.waitUntil(() => Date.now() > firstUntil, { timeout: 5000, interval: 10 });
    const successor = engineOn(hub);
    await successor.start();
    try {
      const taken = (await leaseRow(hub))?.owner;
      await vi.waitUntil(() => logs.some((line) => line.includes('was taken over by another engine')), { timeout: 10_000, interval: 50 });
      await first.stop();
      expect((await leaseRow(hub))?.owner).toBe(taken);
      const id = await successor.startNew('leaseEcho', { input: 'successor' });
      expect((await successor.waitForCompletion(id, { timeoutInMs: 20_000 })).output).toEqual({ echoed: 'successor' });
    } finally {
      await successor.stop();
    }
  });
});
