import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type RunningLocalHost } from '../src/host.js';
import type { LogLevel } from '../src/logger.js';

const fixture = fileURLToPath(new URL('fixtures/http-app', import.meta.url));
const KEY = 'fixture-functions-key';
const logs: { level: LogLevel; source: string; message: string }[] = [];
let host: RunningLocalHost;

beforeAll(async () => {
  host = await startLocalHost({
    appDir: fixture,
    settingsDir: false,
    port: 0,
    functionsKey: KEY,
    maxRequestBodyBytes: 1024,
    logger: (level, source, message) => logs.push({ level, source, message }),
  });
});

afterAll(async () => {
  await host?.stop();
});

const api = (path: string) => `${host.apiUrl}/${path}`;

describe('local host: HTTP routes', () => {
  it('serves under the host.json route prefix and passes route parameters and the query', async () => {
    expect(host.apiUrl).toBe(`http://localhost:${host.port}/api`);
    const res = await fetch(api('hello/World?punctuation=!'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Hello, World!');
  });

  it('decodes percent-encoded route values', async () => {
    const res = await fetch(api('hello/J%C3%BCrgen%20M'));
    expect(await res.text()).toBe('Hello, Jürgen M.');
  });

  it('uses the function name as the route when none is given, and GET/POST by default', async () => {
    expect(await (await fetch(api('plain'))).text()).toBe('plain GET');
    expect(await (await fetch(api('plain'), { method: 'POST', body: 'x' })).text()).toBe('plain POST');
    const put = await fetch(api('plain'), { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
  });

  it('chooses between routes by constraint: int vs alpha', async () => {
    expect(await (await fetch(api('items/42'))).json()).toEqual({ matched: 'itemById', id: '42' });
    expect(await (await fetch(api('items/widget'))).json()).toEqual({ matched: 'itemBySlug', slug: 'widget' });
    // Neither int (out of Int32 range is not int) nor alpha: no route.
    expect((await fetch(api('items/9999999999'))).status).toBe(404);
    expect((await fetch(api('items/a1'))).status).toBe(404);
  });

  it('enforces guid and bool constraints', async () => {
    const id = 'a3bb189e-8bf9-3888-9912-ace4e6543002';
    expect(await (await fetch(api(`orders/${id}`))).json()).toEqual({ id });
    expect((await fetch(api('orders/not-a-guid'))).status).toBe(404);
    expect(await (await fetch(api('flags/TRUE'))).json()).toEqual({ value: 'TRUE' });
    expect((await fetch(api('flags/yes'))).status).toBe(404);
  });

  it('handles optional and catch-all parameters', async () => {
    expect(await (await fetch(api('optional'))).json()).toEqual({ page: null });
    expect(await (await fetch(api('optional/3'))).json()).toEqual({ page: '3' });
    expect(await (await fetch(api('files/a/b/c.txt'))).json()).toEqual({ path: 'a/b/c.txt' });
    expect(await (await fetch(api('files'))).json()).toEqual({ path: null });
  });

  it('answers 405 with Allow when the route matches but the method does not', async () => {
    const res = await fetch(api('items/42'), { method: 'PATCH', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('DELETE, GET');
    expect((await fetch(api('items/42'), { method: 'DELETE' })).status).toBe(202);
  });

  it('answers 404 when no route matches, including outside the route prefix', async () => {
    expect((await fetch(api('no/such/route'))).status).toBe(404);
    expect((await fetch(`${host.url}/hello/World`)).status).toBe(404);
  });
});

describe('local host: bodies, headers, cookies', () => {
  it('passes text bodies and headers in, and status, headers and cookies out', async () => {
    const res = await fetch(api('echo'), { method: 'POST', body: 'some text', headers: { 'content-type': 'text/csv', 'x-echo': 'ping' } });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('some text');
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(res.headers.get('x-echo')).toBe('ping');
    expect(res.headers.getSetCookie()).toEqual(['session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict']);
  });

  it('parses JSON bodies and returns jsonBody with application/json', async () => {
    const res = await fetch(api('json'), { method: 'POST', body: JSON.stringify({ a: [1, 2], b: 'ü' }), headers: { 'content-type': 'application/json' } });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ received: { a: [1, 2], b: 'ü' }, contentType: 'application/json' });
  });

  it('returns Buffer bodies byte for byte and streams ReadableStream bodies', async () => {
    const bytes = new Uint8Array(await (await fetch(api('bytes'))).arrayBuffer());
    expect([...bytes]).toEqual([0, 1, 2, 253, 254, 255]);
    expect(await (await fetch(api('stream'))).text()).toBe('chunk-1 chunk-2 chunk-3');
  });

  it('reads HttpResponse instances, and answers 204 when a function returns nothing', async () => {
    const teapot = await fetch(api('teapot'));
    expect(teapot.status).toBe(418);
    expect(await teapot.json()).toEqual({ short: true, stout: true });
    const nothing = await fetch(api('nothing'));
    expect(nothing.status).toBe(204);
    expect(await nothing.text()).toBe('');
  });

  it('answers HEAD with headers and no body where HEAD is allowed, 405 where it is not', async () => {
    const head = await fetch(api('headable'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-custom')).toBe('yes');
    expect(await head.text()).toBe('');
    expect(await (await fetch(api('headable'))).text()).toBe('has a body');
    // HEAD is not among 'plain's default methods (GET, POST).
    expect((await fetch(api('plain'), { method: 'HEAD' })).status).toBe(405);
  });

  it('answers 413 when the body exceeds the limit, and accepts one at the limit', async () => {
    const tooBig = await fetch(api('echo'), { method: 'POST', body: 'x'.repeat(1025) });
    expect(tooBig.status).toBe(413);
    const atLimit = await fetch(api('echo'), { method: 'POST', body: 'y'.repeat(1024) });
    expect(atLimit.status).toBe(201);
    expect((await atLimit.text()).length).toBe(1024);
  });

  it('enforces the limit on chunked bodies that declare no length', async () => {
    const chunked = (size: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let sent = 0; sent < size; sent += 256) controller.enqueue(new Uint8Array(Math.min(256, size - sent)).fill(97));
          controller.close();
        },
      });
    const init = (size: number) => ({ method: 'POST', body: chunked(size), duplex: 'half' }) as RequestInit;
    const tooBig = await fetch(api('echo'), init(4096));
    expect(tooBig.status).toBe(413);
    const small = await fetch(api('echo'), init(512));
    expect(small.status).toBe(201);
    expect(await small.text()).toBe('a'.repeat(512));
  });

  it('passes repeated query parameters joined with a comma, as the Functions host does', async () => {
    // The host sends the worker one value per name (ASP.NET Core joins repeats with ","), so getAll sees one value.
    const res = await fetch(api('query-all?tag=a&tag=b&single=1'));
    expect(await res.json()).toEqual({ tags: ['a,b'], single: '1' });
  });

  it("drops a GET request's body as the library does, and routes the library's warning to the host log", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(api('hello/body'), { method: 'GET', headers: { 'content-type': 'text/plain', 'content-length': '15' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
      req.end('a body on a GET');
    });
    expect(status).toBe(200);
    expect(logs.some((l) => l.level === 'warn' && l.source === 'system' && l.message.includes('Discarding the body of the incoming GET request'))).toBe(true);
  });

  it('builds a fresh InvocationContext per invocation and routes its logs under the function name', async () => {
    const first = (await (await fetch(api('context'))).json()) as { invocationId: string; functionName: string; trigger: string };
    const second = (await (await fetch(api('context'))).json()) as { invocationId: string };
    expect(first.functionName).toBe('context');
    expect(first.trigger).toBe('httpTrigger');
    expect(first.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.invocationId).not.toBe(first.invocationId);
    expect(logs).toContainEqual({ level: 'info', source: 'Function.context', message: 'context function says hello' });
  });
});

describe('local host: failures and auth levels', () => {
  it('turns an unhandled exception into 500 with no details in the body, and logs the stack', async () => {
    const res = await fetch(api('boom'));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(logs.some((l) => l.level === 'error' && l.source === 'Function.boom' && l.message.includes('kaboom'))).toBe(true);
  });

  it('answers 500 when a function returns something that is not an HTTP response', async () => {
    expect((await fetch(api('not-an-object'))).status).toBe(500);
  });

  it('requires the key for function and admin levels, by header or code= query', async () => {
    expect((await fetch(api('secret'))).status).toBe(401);
    expect((await fetch(api('secret'), { headers: { 'x-functions-key': 'wrong' } })).status).toBe(401);
    const byHeader = await fetch(api('secret'), { headers: { 'x-functions-key': KEY } });
    expect(byHeader.status).toBe(200);
    expect(await byHeader.text()).toBe('the secret');
    expect((await fetch(api(`secret?code=${KEY}`))).status).toBe(200);
    expect((await fetch(api('admin-only'))).status).toBe(401);
    expect((await fetch(api(`admin-only?code=${KEY}`))).status).toBe(200);
  });

  it('never asks for a key on anonymous functions', async () => {
    expect(await (await fetch(api('open'))).text()).toBe('open to all');
  });
});

describe('local host without a functions key', () => {
  it('lets non-anonymous functions through when no key is configured, as local development expects', async () => {
    const previous = process.env['FUNCTIONS_KEY'];
    delete process.env['FUNCTIONS_KEY'];
    const keyless = await startLocalHost({ appDir: fixture, settingsDir: false, port: 0, logger: () => {} });
    try {
      expect((await fetch(`${keyless.apiUrl}/secret`)).status).toBe(200);
    } finally {
      await keyless.stop();
      if (previous !== undefined) process.env['FUNCTIONS_KEY'] = previous;
    }
  });
});

describe('local host: graceful stop and lifecycle hooks', () => {
  it('runs appStart, lets an in-flight request finish, refuses new connections, then runs appTerminate', async () => {
    const lifecycle = globalThis as { __httpAppLifecycle?: Record<string, unknown> };
    delete lifecycle.__httpAppLifecycle;
    let slowStarted!: () => void;
    const inHandler = new Promise<void>((resolve) => (slowStarted = resolve));
    const logger = (_level: string, _source: string, message: string) => {
      if (message.includes('slow request started')) slowStarted();
    };
    const stopping = await startLocalHost({ appDir: fixture, settingsDir: false, port: 0, logger });
    expect(lifecycle.__httpAppLifecycle).toEqual({ started: true });
    const inFlight = fetch(`${stopping.apiUrl}/slow`);
    // Stop once the request is in the handler (it logs so), not after a guessed delay.
    await inHandler;
    const stopped = stopping.stop();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finally');
    await stopped;
    await expect(fetch(`${stopping.apiUrl}/hello/late`)).rejects.toThrow();
    // appTerminate ran after the drain, with the hookData appStart wrote.
    expect(lifecycle.__httpAppLifecycle).toEqual({ started: true, terminated: true, sawStartHookData: true });
  });
});
