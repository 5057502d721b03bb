import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalHost } from '../src/host.js';
import { startFixtureHost, type CheckStatus } from './support/fixture-host.js';

/**
 * The durable-functions JavaScript v4 quickstart, unchanged (tools/functions-localhost/test/fixtures/durable-sample-app), on the full local
 * host with Azurite: what a newcomer does first must work first.
 */

let host: RunningLocalHost;
let hostLog: string[] = [];

beforeAll(async () => {
  ({ host, log: hostLog } = await startFixtureHost('durable-sample-app'));
});

afterAll(async () => {
  await host?.stop();
});

interface StatusBody {
  readonly instanceId: string;
  readonly runtimeStatus: string;
  readonly input: unknown;
  readonly output: unknown;
}

async function startSample(): Promise<{ response: Response; body: CheckStatus }> {
  const response = await fetch(`${host.apiUrl}/orchestrators/durableHello1Orchestrator`, { method: 'POST' });
  return { response, body: (await response.json()) as CheckStatus };
}

/** Follows the status URL the way a client of the async HTTP pattern does: 202 means "ask again". */
async function followUntilDone(statusUrl: string, timeoutMs = 30_000): Promise<{ status: number; body: StatusBody; polls: number }> {
  const deadline = Date.now() + timeoutMs;
  for (let polls = 1; ; polls++) {
    const response = await fetch(statusUrl);
    const body = (await response.json()) as StatusBody;
    if (response.status !== 202) return { status: response.status, body, polls };
    expect(response.headers.get('location')).toBe(statusUrl);
    expect(response.headers.get('retry-after')).toBeTruthy();
    if (Date.now() > deadline) throw new Error(`Instance still ${body.runtimeStatus} after ${timeoutMs} ms. Host log:\n${hostLog.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the documentation sample (durable-functions JavaScript v4 quickstart)', () => {
  it('starts through its HTTP starter and completes with the three greetings', async () => {
    const { response, body } = await startSample();
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(body.statusQueryGetUri);
    expect(body.statusQueryGetUri).toBe(
      `${host.url}/runtime/webhooks/durabletask/instances/${body.id}?taskHub=${host.engine!.taskHubName}&connection=Storage`,
    );

    const done = await followUntilDone(body.statusQueryGetUri);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ instanceId: body.id, runtimeStatus: 'Completed', input: '' });
    expect(done.body.output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello Cairo']);
  });

  it('answers every management URL createCheckStatusResponse returned', async () => {
    const { body } = await startSample();
    await followUntilDone(body.statusQueryGetUri);
    const fill = (template: string) => template.replace('{eventName}', 'Approval').replace('{text}', 'because');

    // The instance has finished: operations that need a running instance answer 410 Gone.
    const raised = await fetch(fill(body.sendEventPostUri), { method: 'POST', body: '{"ok":true}', headers: { 'content-type': 'application/json' } });
    expect(raised.status).toBe(410);
    for (const uri of [body.terminatePostUri, body.suspendPostUri, body.resumePostUri]) {
      expect((await fetch(fill(uri), { method: 'POST' })).status).toBe(410);
    }

    // Restart runs the same orchestration again under a new id.
    const restarted = await fetch(body.restartPostUri, { method: 'POST' });
    expect(restarted.status).toBe(202);
    const second = (await restarted.json()) as CheckStatus;
    expect(second.id).not.toBe(body.id);
    expect((await followUntilDone(second.statusQueryGetUri)).body.output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello Cairo']);

    const purged = await fetch(body.purgeHistoryDeleteUri, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect(await purged.json()).toEqual({ instancesDeleted: 1 });
    expect((await fetch(body.statusQueryGetUri)).status).toBe(404);
    expect((await fetch(body.purgeHistoryDeleteUri, { method: 'DELETE' })).status).toBe(404);
  });

  it('shows the history of a finished instance through the status URL', async () => {
    const { body } = await startSample();
    await followUntilDone(body.statusQueryGetUri);
    const response = await fetch(`${body.statusQueryGetUri}&showHistory=true&showHistoryOutput=true`);
    expect(response.status).toBe(200);
    const status = (await response.json()) as { historyEvents: { EventType: string }[] };
    const types = status.historyEvents.map((event) => event.EventType);
    expect(types).toContain('ExecutionStarted');
    expect(types.filter((type) => type === 'TaskCompleted')).toHaveLength(3);
  });
});
