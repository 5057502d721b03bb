import { describe, expect, it } from 'vitest';
import { installFunctionsCore } from '../src/functions-core.js';

describe('installFunctionsCore', () => {
  it('captures registrations made through @azure/functions and durable-functions with their real handlers', async () => {
    const sink = installFunctionsCore();
    const { app } = await import('@azure/functions');
    const df = await import('durable-functions');
    app.http('hello', { route: 'hello/{name}', methods: ['GET'], handler: () => ({ body: 'hi' }) });
    df.app.orchestration('helloOrchestrator', function* (context) {
      const echoed: unknown = yield context.df.callActivity('helloActivity', 'x');
      return echoed;
    });
    df.app.activity('helloActivity', { handler: (input: unknown) => input });

    const byName = new Map(sink.registrations.map((r) => [r.metadata.name, r]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['hello', 'helloOrchestrator', 'helloActivity']));
    const triggerOf = (name: string) => Object.values(byName.get(name)!.metadata.bindings).find((b) => b.direction === 'in' && /Trigger$/.test(b.type));
    expect(triggerOf('hello')).toMatchObject({ type: 'httpTrigger', route: 'hello/{name}', methods: ['GET'] });
    expect(triggerOf('helloOrchestrator')?.type).toBe('orchestrationTrigger');
    expect(triggerOf('helloActivity')?.type).toBe('activityTrigger');
    expect(typeof byName.get('helloActivity')!.handler).toBe('function');
    expect(installFunctionsCore()).toBe(sink);
  });
});
