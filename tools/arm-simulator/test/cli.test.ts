/**
 * The compiled CLI as a user runs it (`npm test` builds dist/ first): it prints its URL and CA file, serves the real
 * SDK, and exits 0 on SIGINT; a bad scenario file stops it with a non-zero code and a path-qualified message.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { DEMO_SUBSCRIPTIONS, demoScenario } from '../src/scenario/demo.js';
import { scenarioSubscriptions } from '../src/scenario/subscriptions.js';
import { staticCredential } from '../src/testing.js';
import { requireFreshBuild } from '../../../test/support/compiled.js';

beforeAll(() => requireFreshBuild());

const CLI = path.resolve('tools/arm-simulator/dist/cli.js');

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly caFile: string;
  output(): string;
}

const children: ChildProcess[] = [];

/** Starts the CLI and resolves once it printed its URL and CA file; rejects if it exits first. */
function startCli(args: readonly string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const url = /listening on (https:\/\/\S+)/.exec(out)?.[1];
      const caFile = /CA certificate: (\S+)/.exec(out)?.[1];
      if (url !== undefined && caFile !== undefined) resolve({ child, url, caFile, output: () => out });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`CLI exited with ${String(code)} before listening:\n${out}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Runs the CLI to completion (it is expected to fail fast). */
function runToExit(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return exitOf(child).then((code) => ({ code, output }));
}

describe('simulator CLI (compiled)', () => {
  let dataDir: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' (npm test does) before this test.`);
    dataDir = await mkdtemp(path.join(tmpdir(), 'simulator-cli-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('--help names every kind of scenario, including generated fleets', async () => {
    const { code, output } = await runToExit(['--help']);
    expect(code).toBe(0);
    for (const word of ["'demo'", "'empty'", "'fleet-<apps>[-seed-<n>]'", 'JSON scenario file', '--clock-factor']) expect(output.replace(/\s+/g, ' ')).toContain(word);
  });

  it('refuses a port another process holds, saying how to pick another', async () => {
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    try {
      const port = (held.address() as AddressInfo).port;
      const { code, output } = await runToExit(['--scenario', 'empty', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir]);
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} is already in use`);
      expect(output).toContain('--port');
    } finally {
      held.close();
    }
  });

  it('serves the demo fleet to the real SDK and exits 0 on SIGINT', async () => {
    const cli = await startCli(['--scenario', 'demo', '--port', '0', '--data-dir', dataDir]);
    expect(cli.caFile.startsWith(dataDir)).toBe(true);
    expect(cli.output()).toContain(`Subscriptions: ${scenarioSubscriptions(demoScenario()).join(' ')}`);
    expect(scenarioSubscriptions(demoScenario()).sort()).toEqual(Object.values(DEMO_SUBSCRIPTIONS).sort());
    const ca = await readFile(cli.caFile, 'utf8');
    const client = new WebSiteManagementClient(staticCredential(), DEMO_SUBSCRIPTIONS.prod, { endpoint: cli.url, tlsOptions: { ca } });
    const app = await client.webApps.get('rg-web-we', 'shop-api-we');
    expect(app.name).toBe('shop-api-we');
    expect(await client.webApps.listVnetConnections('rg-web-we', 'shop-api-we')).toEqual([expect.objectContaining({ name: 'vnet-apps-we' })]);
    cli.child.kill('SIGINT');
    expect(await exitOf(cli.child)).toBe(0);
    expect(cli.output()).toContain('Stopping ARM simulator.');
  });

  it('starts empty with --scenario empty', async () => {
    const cli = await startCli(['--scenario', 'empty', '--port', '0', '--data-dir', dataDir, '--no-throttling']);
    expect(cli.output()).toMatch(/scenario 'empty', 0 resources/);
    const client = new WebSiteManagementClient(staticCredential(), DEMO_SUBSCRIPTIONS.prod, { endpoint: cli.url, tlsOptions: { ca: await readFile(cli.caFile, 'utf8') } });
    await expect(client.webApps.get('rg-web-we', 'shop-api-we')).rejects.toMatchObject({ statusCode: 404 });
    cli.child.kill('SIGINT');
    expect(await exitOf(cli.child)).toBe(0);
  });

  it('seeds a scenario JSON file', async () => {
    const file = path.join(dataDir, 'one-plan.json');
    const plan = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan-from-file';
    await writeFile(file, JSON.stringify({ name: 'one-plan', resources: [{ id: plan, body: { location: 'westeurope', sku: { name: 'S1', tier: 'Standard' } } }] }));
    const cli = await startCli(['--scenario', file, '--port', '0', '--data-dir', dataDir]);
    expect(cli.output()).toMatch(/scenario 'one-plan', 1 resources/);
    const client = new WebSiteManagementClient(staticCredential(), 's1', { endpoint: cli.url, tlsOptions: { ca: await readFile(cli.caFile, 'utf8') } });
    expect((await client.appServicePlans.get('rg', 'plan-from-file')).sku?.tier).toBe('Standard');
    cli.child.kill('SIGINT');
    expect(await exitOf(cli.child)).toBe(0);
  });

  it('a bad scenario file exits non-zero naming the file and the offending path', async () => {
    const file = path.join(dataDir, 'bad.json');
    await writeFile(file, JSON.stringify({ name: 'bad', resources: [{ id: 'not-an-arm-id', body: {} }], clockFactor: -1 }));
    const { code, output } = await runToExit(['--scenario', file, '--port', '0', '--data-dir', dataDir]);
    expect(code).not.toBe(0);
    expect(output).toContain(`Scenario file '${file}' is not a valid scenario`);
    expect(output).toContain('resources[0].id: must be a full ARM resource id');
    expect(output).toContain('clockFactor:');
  });

  it('a missing scenario exits non-zero listing the bundled scenarios', async () => {
    const { code, output } = await runToExit(['--scenario', path.join(dataDir, 'nope.json'), '--port', '0', '--data-dir', dataDir]);
    expect(code).not.toBe(0);
    expect(output).toMatch(/neither a bundled scenario \(empty, demo, fleet-1000, fleet-10000/);
  });
});
