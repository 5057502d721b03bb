/**
 * Timer triggers on the durable engine's virtual clock: the clock starts at a chosen instant, and the engine's time
 * skips stop at each timer occurrence before the next durable timer, so hours of an hourly schedule pass in moments,
 * in order with the durable timers, and each run's effects are in place before the clock moves again.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type RunningLocalHost } from '../src/host.js';

let host: RunningLocalHost;

beforeAll(async () => {
  host = await startLocalHost({
    appDir: fileURLToPath(new URL('fixtures/virtual-timer-app', import.meta.url)),
    port: 0,
    storage: 'azurite:memory',
    clock: 'virtual',
    clockStart: '2027-03-27T21:40:00Z',
    logger: () => {},
  });
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

describe('local host: timer triggers on the virtual clock', () => {
  it('runs an hourly trigger at each virtual hour until the durable timer, and no further', async () => {
    const engine = host.engine!;
    const started = Date.now();
    await engine.startNew('listenForTicks', { instanceId: 'listener' });
    const done = await engine.waitForCompletion('listener', { timeoutInMs: 30_000 });
    expect(done.runtimeStatus).toBe('Completed');
    const ticks = done.output as { orchestrationTime: string; occurrence: string }[];
    // Started 21:40Z (plus the moment it took to start), ends 5.5 h later: the hours 22:00 to 03:00 are crossed.
    expect(ticks.map((t) => t.occurrence)).toEqual(['2027-03-27T22:00:00.000Z', '2027-03-27T23:00:00.000Z', '2027-03-28T00:00:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-28T02:00:00.000Z', '2027-03-28T03:00:00.000Z']);
    // Each event was handled at its occurrence on the virtual clock (the clock did not skip past it first).
    for (const tick of ticks) expect(Date.parse(tick.orchestrationTime) - Date.parse(tick.occurrence)).toBeLessThan(60_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
