import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineFixture, durableFunctions } from './engine-harness.js';

const fixture = new EngineFixture();
beforeAll(async () => {
  const df = await durableFunctions();
  df.app.orchestration('smokeSeq', function* (context) {
    const a: unknown = yield context.df.callActivity('smokeHello', 'Tokyo');
    const b: unknown = yield context.df.callActivity('smokeHello', 'Seattle');
    return [a, b];
  });
  df.app.activity('smokeHello', { handler: (input: unknown) => `Hello ${String(input)}` });
  await fixture.start();
});
afterAll(() => fixture.stop());

describe('smoke', () => {
  it('runs a sequence', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('smokeSeq');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    console.log(JSON.stringify(await engine.rawHistory(id)));
    expect(status.output).toEqual(['Hello Tokyo', 'Hello Seattle']);
  });
});
