import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type RunningLocalHost } from '../src/host.js';
import { startFixtureHost, type CheckStatus } from './support/fixture-host.js';

/**
 * The host composing the durable engine and the management API around an unchanged durable-functions app (the
 * JavaScript v4 quickstart, CommonJS): df.app.client.http gets a working durableClient binding, the check-status
 * URLs it hands out answer, and the orchestration runs its activities to completion. Storage: an in-memory Azurite.
 */
let host: RunningLocalHost;

beforeAll(async () => {
  ({ host } = await startFixtureHost('durable-sample-app'));
});

afterAll(async () => {
  await host?.stop();
});

describe('local host with the durable engine', () => {
  it('recognises the app as durable and registers its orchestrator with the engine', () => {
    expect(host.app.usesDurable).toBe(true);
    expect(host.engine?.hasOrchestrator('durableHello1Orchestrator')).toBe(true);
  });

  it('starts the quickstart orchestration over HTTP and completes it through the check-status URL', async () => {
    const started = await fetch(`${host.apiUrl}/orchestrators/durableHello1Orchestrator`, { method: 'POST', body: 'payload' });
    expect(started.status).toBe(202);
    const check = (await started.json()) as CheckStatus;
    // The URLs point at this host (WEBSITE_HOSTNAME), not at the SDK's default http://localhost:7071.
    expect(check.statusQueryGetUri.startsWith(`${host.url}/runtime/webhooks/durabletask/instances/${check.id}`)).toBe(true);
    expect(started.headers.get('location')).toBe(check.statusQueryGetUri);

    const deadline = Date.now() + 30_000;
    let status: { runtimeStatus: string; output: unknown; input: unknown };
    for (;;) {
      const res = await fetch(check.statusQueryGetUri);
      status = (await res.json()) as typeof status;
      if (res.status === 200 || Date.now() > deadline) break;
      expect(res.status).toBe(202);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello Cairo']);
    expect(status.input).toBe('payload');
  });

  it('answers unknown management routes and unknown orchestrators without crashing the host', async () => {
    const missing = await fetch(`${host.url}/runtime/webhooks/durabletask/instances/no-such-instance`);
    expect(missing.status).toBe(404);
    const unknown = await fetch(`${host.apiUrl}/orchestrators/noSuchOrchestrator`, { method: 'POST', body: '' });
    expect(unknown.status).toBe(500);
  });
});

describe('local host: timers with a durable client', () => {
  it('gives df.app.client.timer a working client: a runOnStartup timer starts an orchestration', async () => {
    const errors: string[] = [];
    const timerHost = await startLocalHost({
      appDir: fileURLToPath(new URL('fixtures/timer-client-app', import.meta.url)),
      settingsDir: false,
      port: 0,
      storage: 'azurite:memory',
      logger: (level, source, message) => {
        if (level === 'error') errors.push(`${source}: ${message}`);
      },
    });
    try {
      expect(timerHost.engine?.taskHubName).toBe('TimerClientHub');
      // The timer runs right after start, asynchronously: wait for the instance it creates to exist.
      const deadline = Date.now() + 30_000;
      while (!(await timerHost.engine!.getStatus('started-by-timer'))) {
        expect(errors).toEqual([]);
        if (Date.now() > deadline) throw new Error('the timer never started the orchestration');
        await new Promise((r) => setTimeout(r, 50));
      }
      const status = await timerHost.engine!.waitForCompletion('started-by-timer', { timeoutInMs: 30_000 });
      expect(status.runtimeStatus).toBe('Completed');
      expect(status.output).toEqual({ echoed: { isPastDue: false } });
    } finally {
      await timerHost.stop();
    }
  });
});
