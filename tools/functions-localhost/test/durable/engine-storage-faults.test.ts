import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startAzurite, type RunningAzurite } from '../../src/azurite.js';
import { createDurableEngine, type LocalDurableEngine } from '../../src/durable/engine.js';
import { CallCounter, durableFunctions, registerCaptured } from './engine-harness.js';

/**
 * Storage goes away in the middle of a running orchestration and comes back: Azurite keeps its data in a folder,
 * is stopped and started again on the same port, and the engine (never restarted) must finish the orchestration
 * correctly. Two outages, each longer than the SDK's own retries: one pulled by the orchestrator right after
 * replaying step 2 (Azurite drains in-flight requests on SIGINT, so that episode's commit still lands and the
 * next write to fail is step 3's result), one pulled by step 4 before it returns (its result write fails).
 */

/** Longer than the Azure SDK retries a request on its own (about 7 s), so the engine sees the failures. */
const OUTAGE_MS = 9000;
let azurite: RunningAzurite;
let dataDir: string;
let port: number;
const outages: Promise<void>[] = [];
const counter = new CallCounter();
let engine: LocalDurableEngine | undefined;

/**
 * Stops Azurite now and starts it again, on the same port and data folder, after OUTAGE_MS. SIGINT, not
 * RunningAzurite.stop()'s SIGTERM: only on SIGINT does Azurite save its database (it autosaves every 5 s), and
 * the outage under test is storage being unreachable, not storage losing acknowledged writes. Resolves once
 * storage refuses connections.
 */
function outage(): Promise<void> {
  // After the previous outage's restart, so the Azurite stopped is the running one (the engine may reach the
  // restarted Azurite before startAzurite() has returned it).
  const previous = outages.at(-1) ?? Promise.resolve();
  let exited: Promise<void> = Promise.resolve();
  const down = previous.then(async () => {
    const current = azurite;
    exited = new Promise<void>((resolve) => current.process.once('exit', () => resolve()));
    current.process.kill('SIGINT');
    // Not its exit: Azurite exits only once it has drained what is in flight, which may wait on this very activity.
    await untilRefused(port);
  });
  outages.push(
    down.then(async () => {
      await exited;
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      azurite = await startAzurite({ location: dataDir, port });
    }),
  );
  return down;
}

/** Resolves once nothing accepts connections on `port`: storage is unreachable. */
async function untilRefused(port: number): Promise<void> {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'durable-faults-'));
  port = await freePort();
  azurite = await startAzurite({ location: dataDir, port });
  const df = await durableFunctions();
  df.app.activity('faultStep', {
    handler: async (n: number) => {
      counter.hit(`faultStep:${n}`);
      await new Promise((r) => setTimeout(r, 100));
      if (n === 4 && outages.length === 1) {
        // The result of this activity is written while storage is down.
        await outage();
      }
      return n * 10;
    },
  });
  df.app.orchestration('faultFlow', function* (context) {
    let total = 0;
    for (let n = 1; n <= 6; n++) {
      total += (yield context.df.callActivity('faultStep', n)) as number;
      // Storage goes down between the replay and the commit of the episode that applies step 2's result.
      if (n === 2 && !context.df.isReplaying && outages.length === 0) void outage();
    }
    return total;
  });
});

afterAll(async () => {
  await engine?.stop();
  await Promise.allSettled(outages);
  await azurite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('storage faults during a running orchestration', () => {
  it('finishes correctly after storage went away twice while activity results were being recorded', async () => {
    const errors: string[] = [];
    engine = createDurableEngine({
      connectionString: azurite.connectionString,
      taskHubName: `faults${randomUUID().replace(/-/g, '').slice(0, 10)}`,
      log: (level, message) => {
        if (level === 'error') errors.push(message);
      },
    });
    registerCaptured(engine);
    await engine.start();
    const id = await engine.startNew('faultFlow', { instanceId: 'faulty' });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 30_000 }).catch((error: unknown) => {
      throw new Error(`${String(error)}\nsteps run: ${JSON.stringify([...counter.counts])}\nengine errors:\n${errors.join('\n')}`);
    });
    await Promise.all(outages);

    expect(outages).toHaveLength(2);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(210);
    for (let n = 1; n <= 6; n++) expect(counter.of(`faultStep:${n}`), `faultStep ${n}`).toBeGreaterThanOrEqual(1);
    // The engine saw a result write fail beyond the SDK's own retries and retried it itself, with no restart
    // (the second outage's write is sometimes carried by the SDK's retries alone).
    expect(errors.filter((line) => /Could not record message 'task\|.*'faulty' \(attempt 1; retrying\)/.test(line)).length).toBeGreaterThanOrEqual(1);
    // What storage holds agrees: the completed status survives a fresh read.
    expect((await engine.getStatus(id))?.output).toBe(210);
  }, 90_000);
});
