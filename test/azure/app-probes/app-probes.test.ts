/** The probes' own behaviour at the edges: no answer, a timeout, Kudu without a token. The happy paths run in full-move.test.ts. */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kuduNameResolve, kuduTcpping, probeHealth } from '../../../src/azure/app-probes/index.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { probeOptions, startDemoSimulator } from '../app-networking/support.js';

describe('app probes', () => {
  let sim: SimulatorHandle;
  let silent: Server;
  let silentPort = 0;
  const held = new Set<Socket>();

  beforeAll(async () => {
    sim = await startDemoSimulator();
    // Accepts connections and never answers: what a blackholed private endpoint looks like.
    silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    await sim?.stop();
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it('a host that never answers is unhealthy with status 0 once the timeout aborts the request', async () => {
    const started = Date.now();
    const answer = await probeHealth('shop-api-we.azurewebsites.net', '/health', { timeoutInMs: 200, connectAddress: `127.0.0.1:${silentPort}` });
    expect(answer).toMatchObject({ status: 0, healthy: false, dependencies: [] });
    expect(answer.error).toContain('within 200 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a host name the simulator does not serve answers 404, not healthy', async () => {
    const answer = await probeHealth('no-such-app.azurewebsites.net', '/health', probeOptions(sim));
    expect(answer).toMatchObject({ status: 404, healthy: false, dependencies: [] });
    expect(answer.error).toBeUndefined();
  });

  it('a health path without its leading slash is asked with one; the body lists the dependencies', async () => {
    const answer = await probeHealth('shop-api-we.azurewebsites.net', 'health', probeOptions(sim));
    expect(answer).toMatchObject({ status: 200, healthy: true });
    expect(answer.dependencies.length).toBeGreaterThan(0);
    expect(answer.dependencies.every((d) => typeof d === 'string' && d !== '')).toBe(true);
  });

  it('connects to an IPv6 connectAddress in brackets; one that is not host:port is an answer with status 0 saying so', async () => {
    const ipv6 = await probeHealth('shop-api-we.azurewebsites.net', '/health', { ...probeOptions(sim), connectAddress: `[::1]:${sim.port}` });
    expect(ipv6).toMatchObject({ status: 200, healthy: true });
    const bad = await probeHealth('shop-api-we.azurewebsites.net', '/health', { ...probeOptions(sim), connectAddress: 'localhost:443:1' });
    expect(bad).toMatchObject({ status: 0, healthy: false, dependencies: [], error: "connectAddress 'localhost:443:1' is not host:port" });
  });

  it('Kudu without a token: not ok, and the output says why', async () => {
    const { token: _token, ...noToken } = probeOptions(sim);
    const ping = await kuduTcpping('shop-api-we.scm.azurewebsites.net', 'sql-apps-we.internal.contoso.example:1433', noToken);
    expect(ping.ok).toBe(false);
    expect(ping.output).toMatch(/^Kudu answered 401: Authorization has been denied/);
  });

  it('Kudu that never answers: not ok, and the output names the command, the host and the timeout', async () => {
    const ping = await kuduTcpping('shop-api-we.scm.azurewebsites.net', '10.0.0.4:443', { timeoutInMs: 200, connectAddress: `127.0.0.1:${silentPort}`, token: () => Promise.resolve('t') });
    expect(ping).toEqual({ ok: false, output: 'tcpping 10.0.0.4:443 through shop-api-we.scm.azurewebsites.net failed: no answer from shop-api-we.scm.azurewebsites.net within 200 ms' });
  });

  it('nameresolver for a name Azure DNS does not know: not ok, and the resolver\'s own address is not taken for an answer', async () => {
    const resolved = await kuduNameResolve('shop-api-we.scm.azurewebsites.net', 'nowhere.internal.contoso.example', probeOptions(sim));
    expect(resolved.output).toMatch(/^Server: \d+\.\d+\.\d+\.\d+/);
    expect(resolved.output).toContain("Can't find nowhere.internal.contoso.example");
    expect(resolved).toMatchObject({ ok: false, addresses: [] });
  });

  it('tcpping to an unreachable target: not ok, no average', async () => {
    const ping = await kuduTcpping('shop-api-we.scm.azurewebsites.net', '10.99.0.1:443', probeOptions(sim));
    expect(ping).toMatchObject({ ok: false });
    expect(ping.averageInMs).toBeUndefined();
    expect(ping.output).toContain('Complete: 0/4 successful attempts');
  });
});
