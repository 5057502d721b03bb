import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { appRequest, tcpping } from './app-http.js';
import type { HealthBody, KuduBody } from './app-http.js';
import { rawRequest, startTestSimulator } from '../src/testing.js';

const PROD = '/subscriptions/6f1c2a8e-4b3d-4e5f-9a10-000000000001';
const SHOP_API = `${PROD}/resourceGroups/rg-web-we/providers/Microsoft.Web/sites/shop-api-we`;

describe('app endpoints ({site}.azurewebsites.net, {site}.scm.azurewebsites.net)', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'demo', clockFactor: 1000, longRunningOperationMs: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('answers the health path of a demo app with 200 and each dependency, on any path', async () => {
    for (const path of ['/', '/health', '/api/status?probe=1']) {
      const answer = await appRequest(sim, 'shop-api-we.azurewebsites.net', { path });
      expect(answer.status).toBe(200);
      const body = answer.json<HealthBody>();
      expect(body.app.toLowerCase()).toBe(SHOP_API.toLowerCase());
      expect(body.status).toBe('Healthy');
      expect(body.dependencies).toEqual([expect.objectContaining({ target: 'sql-apps-we.internal.contoso.example:1433', reachable: true, reason: 'gateway-vnet' })]);
    }
  });

  it('a slot answers on {site}-{slot}; SNI alone (no Host header) also selects the app; an unknown app is 404', async () => {
    const slot = await appRequest(sim, 'shop-web-we-staging.azurewebsites.net');
    expect(slot.status).toBe(200);
    expect(slot.json<HealthBody>().app).toMatch(/\/sites\/shop-web-we\/slots\/staging$/i);
    const sniOnly = await appRequest(sim, 'ledger-api-ne.azurewebsites.net', { hostHeader: false });
    expect(sniOnly.json<HealthBody>().app).toMatch(/\/sites\/ledger-api-ne$/i);
    expect((await appRequest(sim, 'no-such-app.azurewebsites.net')).status).toBe(404);
  });

  it('Kudu requires a Bearer token and answers tcpping and nameresolver like the console', async () => {
    const host = 'shop-api-we.scm.azurewebsites.net';
    const body = { command: 'tcpping sql-apps-we.internal.contoso.example:1433', dir: 'site\\wwwroot' };
    expect((await appRequest(sim, host, { method: 'POST', path: '/api/command', body })).status).toBe(401);
    const ok = await tcpping(sim, 'shop-api-we', 'sql-apps-we.internal.contoso.example:1433');
    expect(ok.ExitCode).toBe(0);
    expect(ok.Output).toContain('Connected to sql-apps-we.internal.contoso.example:1433');
    expect(ok.Output).toContain('Complete: 4/4 successful attempts (100%)');
    const failed = await tcpping(sim, 'shop-api-we', '10.99.0.1:80');
    expect(failed.ExitCode).toBe(1);
    expect(failed.Output).toContain('Connection attempt failed: Connection timed out.');
    const dns = await appRequest(sim, host, { method: 'POST', path: '/api/command', token: 't', body: { command: 'nameresolver erp.corp.contoso.example' } });
    expect(dns.json<KuduBody>()).toMatchObject({ ExitCode: 0, Output: expect.stringContaining('192.168.1.20') as unknown });
    const unknown = await appRequest(sim, host, { method: 'POST', path: '/api/command', token: 't', body: { command: 'dir' } });
    expect(unknown.json<KuduBody>()).toMatchObject({ ExitCode: 1, Error: expect.stringContaining("'dir' is not recognized") as unknown });
    expect((await appRequest(sim, host, { method: 'GET', path: '/api/vfs/', token: 't' })).status).toBe(404);
  });

  it('ARM keeps answering on the same port, and sites carry their default and scm host names', async () => {
    const site = await rawRequest(sim, 'GET', `${SHOP_API}?api-version=2024-11-01`);
    expect(site.status).toBe(200);
    const properties = (site.json() as { properties: { defaultHostName: string; enabledHostNames: string[]; hostNameSslStates: { name: string; hostType: string }[] } }).properties;
    expect(properties.defaultHostName).toBe('shop-api-we.azurewebsites.net');
    expect(properties.enabledHostNames).toEqual(['shop-api-we.azurewebsites.net', 'shop-api-we.scm.azurewebsites.net']);
    expect(properties.hostNameSslStates.map((s) => [s.name, s.hostType])).toEqual([
      ['shop-api-we.azurewebsites.net', 'Standard'],
      ['shop-api-we.scm.azurewebsites.net', 'Repository'],
    ]);
  });

  it('admin conveniences: health, command, timeline and the per-app summary', async () => {
    const health = await rawRequest(sim, 'GET', '/_simulator/apps/orders-legacy-we/health', undefined, {});
    expect(health.status).toBe(200);
    expect((health.json() as HealthBody).dependencies[0]).toMatchObject({ target: 'mainframe.corp.contoso.example:3270', reachable: true, reason: 'on-premises' });
    const command = await rawRequest(sim, 'POST', '/_simulator/apps/orders-legacy-we/command', JSON.stringify({ command: 'tcpping 100.72.4.20:3270' }), {});
    expect((command.json() as KuduBody).ExitCode).toBe(0);
    const timeline = await rawRequest(sim, 'GET', '/_simulator/apps/orders-legacy-we/timeline', undefined, {});
    const t = timeline.json() as { transitions: { at: number; allReachable: boolean }[]; downtimeMs: number; now: number };
    expect(t.transitions).toHaveLength(1);
    expect(t.transitions[0]?.allReachable).toBe(true);
    expect(t.downtimeMs).toBe(0);
    const summary = (await rawRequest(sim, 'GET', '/_simulator/timelines', undefined, {})).json() as { value: { hostName: string; reachableNow: boolean }[] };
    // 63 apps + 3 slots, each recorded once when the scenario was seeded, every one reachable (the demo's promise).
    expect(summary.value).toHaveLength(66);
    expect(summary.value.every((a) => a.reachableNow)).toBe(true);
    expect((await rawRequest(sim, 'GET', '/_simulator/apps/nobody/health', undefined, {})).status).toBe(404);
    expect((await rawRequest(sim, 'GET', '/_simulator/apps/orders-legacy-we/timeline?from=abc', undefined, {})).status).toBe(400);
  });
});

describe('the server certificate names the App Service hosts', () => {
  it('a kept certificate without *.azurewebsites.net SANs is reissued under the same CA', async () => {
    const { mkdtemp, readFile, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { generate } = await import('selfsigned');
    const { coversAppServiceHosts, ensureCertificates } = await import('../src/certificates.js');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sim-certs-'));
    const first = await ensureCertificates(dir);
    expect(coversAppServiceHosts(first.serverCertPem)).toBe(true);
    // What an older simulator left behind: localhost only, signed by the same CA.
    const caKey = await readFile(path.join(dir, 'ca.key.pem'), 'utf8');
    const old = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048, algorithm: 'sha256', ca: { key: caKey, cert: first.caPem },
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
    });
    await writeFile(path.join(dir, 'server.pem'), old.cert);
    await writeFile(path.join(dir, 'server.key.pem'), old.private);
    expect(coversAppServiceHosts(old.cert)).toBe(false);
    const second = await ensureCertificates(dir);
    expect(second.caPem).toBe(first.caPem);
    expect(second.serverCertPem).not.toBe(old.cert);
    expect(coversAppServiceHosts(second.serverCertPem)).toBe(true);
    expect(await readFile(path.join(dir, 'server.pem'), 'utf8')).toBe(second.serverCertPem);
  });
});
