/**
 * What the probes send and how they read what comes back, against a local HTTPS app (with the simulator's App Service
 * certificate) whose answer each test sets and whose requests it records: the request line and headers, Kudu's
 * command body, and health and Kudu answers the simulator never gives (odd dependency lists, errors, no exit code).
 */
import { createServer, type Server } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { kuduNameResolve, kuduTcpping, probeHealth, type ProbeOptions } from '../../../src/azure/app-probes/index.js';
import { ensureCertificates } from '@vnet-migrator/arm-simulator/certificates.js';
import { TEST_DATA_DIR } from '@vnet-migrator/arm-simulator/testing.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const HOST = 'shop-api-we.azurewebsites.net';
const SCM = 'shop-api-we.scm.azurewebsites.net';

describe('probe requests and answers', () => {
  let server: Server;
  let options: ProbeOptions;
  let seen: Seen[] = [];
  let answer: { status: number; body: string; cut?: boolean } = { status: 200, body: '{}' };

  beforeAll(async () => {
    const certificates = await ensureCertificates(TEST_DATA_DIR);
    server = createServer({ key: certificates.serverKeyPem, cert: certificates.serverCertPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (answer.cut === true) {
          // Headers and part of the body, then the connection drops.
          res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(answer.body.length + 100) });
          res.write(answer.body, () => res.destroy());
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    options = { timeoutInMs: 5000, connectAddress: `127.0.0.1:${port}`, caPem: certificates.caPem, token: () => Promise.resolve('the-token') };
  });
  beforeEach(() => {
    seen = [];
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('a health probe is a GET of the path with Host and Accept, and healthy means 2xx', async () => {
    answer = { status: 200, body: '{"status":"Healthy"}' };
    const started = performance.now();
    const health = await probeHealth(HOST, 'health', options);
    expect(health).toMatchObject({ status: 200, healthy: true, dependencies: [] });
    expect(health.elapsedInMs).toBeGreaterThanOrEqual(0);
    expect(health.elapsedInMs).toBeLessThanOrEqual(Math.ceil(performance.now() - started));
    expect(seen).toEqual([expect.objectContaining({ method: 'GET', url: '/health', body: '' })]);
    expect(seen[0]?.headers).toMatchObject({ host: HOST, accept: 'application/json' });
    expect(seen[0]?.headers['authorization']).toBeUndefined();
    expect(seen[0]?.headers['content-type']).toBeUndefined();

    for (const [status, healthy] of [[204, true], [299, true], [300, false], [503, false]] as const) {
      answer = { status, body: '' };
      expect(await probeHealth(HOST, '/health', options), String(status)).toMatchObject({ status, healthy });
    }
    expect(seen.map((r) => r.url)).toEqual(['/health', '/health', '/health', '/health', '/health']);
  });

  it('lists only the dependencies whose target is a non-empty string', async () => {
    answer = { status: 200, body: JSON.stringify({ dependencies: [{ target: 'sql:1433' }, { target: '' }, { target: 5 }, null, 'x', {}, { target: 'redis:6380' }] }) };
    expect((await probeHealth(HOST, '/health', options)).dependencies).toEqual(['sql:1433', 'redis:6380']);
    answer = { status: 200, body: JSON.stringify({ dependencies: { target: 'sql:1433' } }) };
    expect((await probeHealth(HOST, '/health', options)).dependencies).toEqual([]);
    for (const body of ['null', 'not json', '']) {
      answer = { status: 200, body };
      expect(await probeHealth(HOST, '/health', options), body).toMatchObject({ status: 200, healthy: true, dependencies: [] });
    }
  });

  it("a Kudu command is a POST of {command, dir} as JSON with the caller's token", async () => {
    answer = { status: 200, body: JSON.stringify({ Output: 'Complete: 4/4 successful attempts (100%). Average success time: 12.5ms', Error: '', ExitCode: 0 }) };
    expect(await kuduTcpping(SCM, '10.0.0.4:1433', options)).toEqual({ ok: true, averageInMs: 12.5, output: 'Complete: 4/4 successful attempts (100%). Average success time: 12.5ms' });
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', url: '/api/command' });
    expect(JSON.parse(request!.body)).toEqual({ command: 'tcpping 10.0.0.4:1433', dir: 'site\\wwwroot' });
    expect(request!.headers).toMatchObject({ host: SCM, accept: 'application/json', authorization: 'Bearer the-token', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(request!.body)) });
  });

  it("reads Kudu's answers: output and error joined, the exit code, a refusal's message or body", async () => {
    answer = { status: 200, body: JSON.stringify({ Output: 'Complete: 1/4 successful attempts (25%). Average success time: 3ms\n', Error: 'timeout\n', ExitCode: 1 }) };
    expect(await kuduTcpping(SCM, '10.0.0.4:1433', options)).toEqual({ ok: true, averageInMs: 3, output: 'Complete: 1/4 successful attempts (25%). Average success time: 3ms\ntimeout\n' });
    answer = { status: 200, body: JSON.stringify({ Output: 'Name: db\nAddress: 10.0.0.4', Error: 5 }) };
    expect(await kuduNameResolve(SCM, 'db', options)).toEqual({ ok: true, addresses: ['10.0.0.4'], output: 'Name: db\nAddress: 10.0.0.4' });
    answer = { status: 500, body: JSON.stringify({ Message: 'Kudu is restarting.' }) };
    expect(await kuduTcpping(SCM, '10.0.0.4:1433', options)).toEqual({ ok: false, output: 'Kudu answered 500: Kudu is restarting.' });
    answer = { status: 502, body: 'Bad Gateway' };
    expect(await kuduTcpping(SCM, '10.0.0.4:1433', options)).toEqual({ ok: false, output: 'Kudu answered 502: Bad Gateway' });
    answer = { status: 200, body: 'not json' };
    expect(await kuduNameResolve(SCM, 'db', options)).toEqual({ ok: false, addresses: [], output: '' });
  });

  it('nameresolver: the addresses after the Name: line only, IPv4 and IPv6, each once', async () => {
    const output = 'Server: 168.63.129.16\r\nAddress: 168.63.129.16\r\n\r\nNon-authoritative answer:\r\n  Name: db.internal\r\nAddresses: 10.0.0.4\r\n\t10.0.0.4\r\n\tfd00::4\r\n';
    answer = { status: 200, body: JSON.stringify({ Output: output, Error: '', ExitCode: 0 }) };
    expect(await kuduNameResolve(SCM, 'db.internal', options)).toEqual({ ok: true, addresses: ['10.0.0.4', 'fd00::4'], output });
    const noAnswer = 'Server: 168.63.129.16\r\nAddress: 168.63.129.16\r\n\r\nServer Name: 10.9.9.9';
    answer = { status: 200, body: JSON.stringify({ Output: noAnswer, Error: '', ExitCode: 0 }) };
    expect(await kuduNameResolve(SCM, 'db', options)).toMatchObject({ ok: false, addresses: [] });
  });

  it('connectAddress: [IPv6]:port or host:port, port 443 when left out; anything else is refused before connecting', async () => {
    for (const address of ['[::1]:80x', 'x[::1]:80', 'host:80:80', '[::1]:']) {
      expect(await probeHealth(HOST, '/health', { ...options, connectAddress: address }), address).toMatchObject({ status: 0, error: `connectAddress '${address}' is not host:port` });
    }
    // Nothing listens on port 443 here: the connection is refused there, not the address.
    for (const address of ['127.0.0.1', '[::1]']) {
      const started = performance.now();
      const refused = await probeHealth(HOST, '/health', { ...options, connectAddress: address });
      expect(refused.status).toBe(0);
      expect(refused.error, address).toContain(':443');
      expect(refused.elapsedInMs).toBeLessThanOrEqual(Math.ceil(performance.now() - started));
    }
    expect(seen).toEqual([]);
  });

  it('a connection that drops in the middle of the answer is an answer with status 0, not a crash', async () => {
    answer = { status: 200, body: '{"dependencies":[', cut: true };
    const health = await probeHealth(HOST, '/health', options);
    expect(health).toMatchObject({ status: 0, healthy: false, dependencies: [] });
    expect(health.error).toBeDefined();
  });

  it('without connectAddress the app host name itself is looked up (a name that does not resolve: status 0, naming it)', async () => {
    const host = 'shop-api-we.app.invalid';
    const health = await probeHealth(host, '/health', { timeoutInMs: 5000 });
    expect(health).toMatchObject({ status: 0, healthy: false });
    expect(health.error).toContain(host);
  });
});
