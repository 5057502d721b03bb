import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type * as Functions from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostedFunction } from '../src/app-loader.js';
import { HttpDispatcher, hostQuery } from '../src/http-dispatcher.js';

/**
 * The query the host hands to the app's @azure/functions. Libraries before 4.8 build HttpRequest.query only from
 * the init's `query` (the real host always sends it) and never parse the URL; newer ones fall back to the URL. The
 * "old" library here is this repository's @azure/functions with that fallback taken away.
 */
const library = createRequire(import.meta.url)('@azure/functions') as typeof Functions;
class QueryFromInitOnly extends library.HttpRequest {
  constructor(init: Functions.HttpRequestInit) {
    super({ ...init, query: init.query ?? {} });
  }
}
const oldLibrary: typeof Functions = { ...library, HttpRequest: QueryFromInitOnly };

const trigger = { type: 'httpTrigger', direction: 'in' as const, authLevel: 'anonymous', methods: ['GET'], route: 'wait' };
const waitFunction: HostedFunction = {
  name: 'wait',
  kind: 'http',
  metadata: { name: 'wait', bindings: { request: trigger, $return: { type: 'http', direction: 'out' } } },
  handler: (request: unknown) => {
    const query = (request as Functions.HttpRequest).query;
    return { jsonBody: { timeout: query.get('timeout'), tags: query.get('tag'), empty: query.get('empty'), names: [...query.keys()] } };
  },
  triggerName: 'request',
  trigger,
  durableClientInputs: [],
};

let server: Server;
let base: string;
beforeAll(async () => {
  const dispatcher = new HttpDispatcher({ functions: [waitFunction], library: oldLibrary, routePrefix: 'api', logger: () => {} });
  server = createServer((req, res) => void dispatcher.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HTTP request query', () => {
  it('reaches a library that reads the query only from the request init (before 4.8)', async () => {
    const res = await fetch(`${base}/api/wait?timeout=2&tag=a&tag=b&empty=`);
    expect(await res.json()).toEqual({ timeout: '2', tags: 'a,b', empty: '', names: ['timeout', 'tag', 'empty'] });
  });

  it('joins repeated names with a comma and keeps empty values, as the Functions host does', () => {
    expect(hostQuery(new URLSearchParams('a=1&b=&a=2&c=x%20y'))).toEqual({ a: '1,2', b: '', c: 'x y' });
  });
});
