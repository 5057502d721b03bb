/**
 * The local Functions host's HTTP trigger path (results in docs/benchmarks.md): the tools/functions-localhost/test/fixtures/http-app function
 * `hello/{name}` (route template, query, text response) and `json` (JSON body in and out) served by startLocalHost,
 * called over real HTTP with keep-alive, first by one client back to back, then by CONCURRENCY clients.
 * Target: >= 1,000 requests/s with concurrent clients on this 2-core machine (one process serves every request, as
 * `func start` does); sequential numbers show per-request overhead.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { startLocalHost } from '@vnet-migrator/functions-localhost/host.js';
import { fixed, throughput, whole } from './measure.js';
import type { Throughput } from './measure.js';

const CONCURRENCY = Number(process.env.BENCH_CLIENTS ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
/** dist/bench/ → the repository's tools/functions-localhost/test/fixtures/http-app (plain JavaScript, not compiled). */
const FIXTURE = fileURLToPath(new URL('../../tools/functions-localhost/test/fixtures/http-app', import.meta.url));

function call(agent: http.Agent, url: string, method: 'GET' | 'POST', expected: string | RegExp, body?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const ok = res.statusCode === 200 && (typeof expected === 'string' ? text === expected : expected.test(text));
        if (ok) resolve();
        else reject(new Error(`${method} ${url} answered ${String(res.statusCode)}: ${text.slice(0, 200)}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function run(): Promise<void> {
  const host = await startLocalHost({ appDir: FIXTURE, settingsDir: false, port: 0, logger: () => undefined });
  const lines: { name: string; clients: number; result: Throughput }[] = [];
  try {
    for (const clients of [1, CONCURRENCY]) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
      try {
        lines.push({
          name: 'GET hello/{name}?punctuation=!',
          clients,
          result: await throughput(clients, REQUESTS, (i) => call(agent, `${host.apiUrl}/hello/user${i}?punctuation=!`, 'GET', `Hello, user${i}!`)),
        });
        lines.push({
          name: 'POST json (JSON in, JSON out)',
          clients,
          result: await throughput(clients, REQUESTS, (i) => call(agent, `${host.apiUrl}/json`, 'POST', /"received":\{"n":\d+\}/, JSON.stringify({ n: i }))),
        });
      } finally {
        agent.destroy();
      }
    }
  } finally {
    await host.stop();
  }
  console.log('\nlocalhost-http: HTTP trigger throughput (tools/functions-localhost/test/fixtures/http-app, keep-alive)');
  console.log('| request | clients | requests | req/s | p50 (ms) | p99 (ms) |');
  console.log('|---|---|---|---|---|---|');
  for (const { name, clients, result } of lines) {
    console.log(`| ${name} | ${clients} | ${whole(result.requests)} | ${whole(result.perSecond)} | ${fixed(result.p50Ms)} | ${fixed(result.p99Ms)} |`);
  }
}
