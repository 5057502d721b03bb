import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '@vnet-migrator/functions-localhost/azurite.js';
import {
  API_LINE_PREFIX,
  CA_FILE_LINE_PREFIX,
  HOST_STOPPED_LINE_PREFIX,
  PROCESSES_LINE_PREFIX,
  READY_LINE,
  SIMULATOR_LINE_PREFIX,
  SUBSCRIPTIONS_LINE_PREFIX,
} from '@vnet-migrator/functions-localhost/supervisor-protocol.js';
import { requireFreshBuild } from '../../../test/support/compiled.js';

beforeAll(() => requireFreshBuild());

/**
 * `npm start` end to end: the compiled supervisor (dist/, built by `npm test`), run in a temporary folder with its own
 * local.settings.json and ports, hosting the http-app fixture. Proves the printed URLs answer and that Ctrl-C ends
 * every process it started.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const startJs = join(root, 'tools/dev/dist/start.js');
const fixture = join(root, 'tools/functions-localhost/test/fixtures/http-app');

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

interface Supervisor {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** stderr, where the host writes its log (the app's context.log included). */
  readonly logLines: string[];
  readonly workDir: string;
  readonly exited: Promise<number | null>;
}

const SETTINGS_FROM_THE_CALLER = ['AzureWebJobsStorage', 'ARM_ENDPOINT', 'AZURE_AUTHORITY_HOST', 'SIMULATOR_SCENARIO', 'SIMULATOR_CLOCK_FACTOR', 'WEBSITE_HOSTNAME', 'FUNCTIONS_KEY', 'NODE_EXTRA_CA_CERTS', 'APP_ENDPOINT_ADDRESS'];

/**
 * `viaNpm`: run it as `npm start` does, through npm and package.json's own start script (in a scratch package whose
 * scripts/ is this repository's), so that signals take the same path as from a terminal.
 */
async function startSupervisor(values: Record<string, string>, extraEnv: Record<string, string>, options: { viaNpm?: boolean } = {}): Promise<Supervisor> {
  if (!existsSync(startJs)) throw new Error(`${startJs} is missing: run npm run build first (npm test does).`);
  const workDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  writeFileSync(join(workDir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: values }));
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const key of SETTINGS_FROM_THE_CALLER) delete env[key];
  let command = process.execPath;
  let args = [startJs, fixture];
  if (options.viaNpm) {
    const startScript = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    writeFileSync(join(workDir, 'package.json'), JSON.stringify({ name: 'npm-start-test', private: true, scripts: { start: startScript } }));
    symlinkSync(join(root, 'scripts'), join(workDir, 'scripts'));
    command = 'npm';
    args = ['run', '--silent', 'start', '--', fixture];
  }
  // Its own process group, like a terminal job: Ctrl-C can then be sent to the whole group.
  const child = spawn(command, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  const logLines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => logLines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 60_000;
  while (!lines.includes(READY_LINE)) {
    if (child.exitCode !== null) throw new Error(`start.js exited with ${child.exitCode}: ${lines.join('\n')}\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`start.js not ready within 60 s: ${lines.join('\n')}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, lines, logLines, workDir, exited };
}

const lineValue = (lines: readonly string[], prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim();

function processIds(lines: readonly string[]): number[] {
  const text = lineValue(lines, PROCESSES_LINE_PREFIX) ?? '';
  return [...text.matchAll(/=(\d+)/g)].map((m) => Number(m[1]));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `group`: signal the whole process group, as a terminal's Ctrl-C does; else only the supervisor. */
async function stopWithSigint(supervisor: Supervisor, group: boolean): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  if (group) process.kill(-supervisor.child.pid!, 'SIGINT');
  else supervisor.child.kill('SIGINT');
  const code = await Promise.race([supervisor.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
  if (code === 'timeout') throw new Error('start.js did not exit within 30 s of SIGINT');
  return { code, ms: performance.now() - started };
}

describe('npm start (start.js)', () => {
  it('pointed at real Azure: starts Azurite and the host, no simulator; Ctrl-C ends every process', async () => {
    const port = await freePort();
    const supervisor = await startSupervisor(
      { AzureWebJobsStorage: 'UseDevelopmentStorage=true', ARM_ENDPOINT: 'https://management.azure.com', SAMPLE_SETTING: 'from-settings' },
      { LOCALHOST_PORT: String(port), AZURITE_PORT: '0' },
    );
    const api = lineValue(supervisor.lines, API_LINE_PREFIX);
    expect(api).toBe(`http://localhost:${port}/api`);
    expect(lineValue(supervisor.lines, SIMULATOR_LINE_PREFIX)).toBeUndefined();
    expect(await (await fetch(`${api}/hello/supervisor`)).text()).toBe('Hello, supervisor.');

    // The host got the settings as environment, and the storage setting rewritten to the Azurite it started.
    const env = async (name: string) => ((await (await fetch(`${api}/env/${name}`)).json()) as { value: string | null }).value;
    expect(await env('SAMPLE_SETTING')).toBe('from-settings');
    expect(await env('AzureWebJobsStorage')).toMatch(/^DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;.*TableEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;$/);
    expect(await env('WEBSITE_HOSTNAME')).toBe(`localhost:${port}`);
    expect(existsSync(join(supervisor.workDir, '.data', 'azurite'))).toBe(true);

    const pids = processIds(supervisor.lines);
    expect(pids).toHaveLength(3);
    expect(pids.every(isAlive)).toBe(true);
    const { code, ms } = await stopWithSigint(supervisor, false);
    expect(code).toBe(0);
    expect(lineValue(supervisor.lines, HOST_STOPPED_LINE_PREFIX)).toBe('0');
    expect(ms).toBeLessThan(20_000);
    expect(pids.filter(isAlive)).toEqual([]);
    await expect(fetch(`${api}/hello/gone`)).rejects.toThrow();
  });

  it('pointed at localhost: also runs the ARM simulator and makes the host trust its CA', async () => {
    const [port, simulatorPort] = [await freePort(), await freePort()];
    const supervisor = await startSupervisor(
      {
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        ARM_ENDPOINT: 'https://localhost:7443',
        AZURE_AUTHORITY_HOST: 'https://localhost:7443',
        SIMULATOR_SCENARIO: 'empty',
        MIGRATOR_VERIFY_POLL_SECONDS: '7',
      },
      { LOCALHOST_PORT: String(port), SIMULATOR_PORT: String(simulatorPort), AZURITE_PORT: '0' },
    );
    expect(lineValue(supervisor.lines, SUBSCRIPTIONS_LINE_PREFIX)).toBe('none');
    const simulatorUrl = lineValue(supervisor.lines, SIMULATOR_LINE_PREFIX);
    const caFile = lineValue(supervisor.lines, CA_FILE_LINE_PREFIX);
    expect(simulatorUrl).toBe(`https://localhost:${simulatorPort}`);
    expect(caFile && existsSync(caFile)).toBe(true);
    // The simulator answers TLS signed by that CA (any HTTP status proves the handshake was trusted).
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`${simulatorUrl}/subscriptions?api-version=2022-12-01`, { ca: readFileSync(caFile!) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
      req.end();
    });
    expect(status).toBeGreaterThanOrEqual(200);
    const api = lineValue(supervisor.lines, API_LINE_PREFIX)!;
    const env = async (name: string) => ((await (await fetch(`${api}/env/${name}`)).json()) as { value: string | null }).value;
    expect(await env('NODE_EXTRA_CA_CERTS')).toBe(caFile);
    expect(await env('ARM_ENDPOINT')).toBe(simulatorUrl);
    expect(await env('AZURE_AUTHORITY_HOST')).toBe(simulatorUrl);
    // The engine reaches the simulated apps through the simulator, with waits that suit it; a setting given wins.
    expect(await env('APP_ENDPOINT_ADDRESS')).toBe(`127.0.0.1:${simulatorPort}`);
    expect(await env('MIGRATOR_LRO_POLL_MS')).toBe('100');
    expect(await env('MIGRATOR_VERIFY_POLL_SECONDS')).toBe('7');

    const pids = processIds(supervisor.lines);
    // Ctrl-C in a terminal signals the whole group; the host still stops once, gracefully: a request in flight
    // finishes (a host signalled twice would exit at once and drop it).
    const inFlight = fetch(`${api}/slow`);
    // Signal once the request is in the handler (it logs so), not after a guessed delay.
    await vi.waitUntil(() => supervisor.logLines.some((line) => line.includes('slow request started')), { timeout: 30_000, interval: 10 });
    const { code } = await stopWithSigint(supervisor, true);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finally');
    expect(code).toBe(0);
    expect(lineValue(supervisor.lines, HOST_STOPPED_LINE_PREFIX)).toBe('0');
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

/** A plain TCP listener on a port: "something else holds it". Accepts and drops connections. */
async function holdPort(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return server;
}

async function runToExit(values: Record<string, string>, extraEnv: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const workDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  cleanups.push(() => rmSync(workDir, { recursive: true, force: true }));
  writeFileSync(join(workDir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: values }));
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const key of SETTINGS_FROM_THE_CALLER) delete env[key];
  const child = spawn(process.execPath, [startJs, fixture], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

describe('npm start (start.js) when a port is taken', () => {
  it('refuses an AZURITE_PORT another process holds, naming the setting, and is never Ready', async () => {
    const azuritePort = await freePort();
    await holdPort(azuritePort);
    const run = await runToExit({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', ARM_ENDPOINT: 'https://management.azure.com' }, { AZURITE_PORT: String(azuritePort), LOCALHOST_PORT: String(await freePort()) });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain(READY_LINE);
    expect(run.stderr).toContain(`[PortInUse] Port ${azuritePort} (AZURITE_PORT) is already in use`);
    expect(run.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it('refuses a SIMULATOR_PORT or LOCALHOST_PORT another process holds before starting anything', async () => {
    const [simulatorPort, hostPort] = [await freePort(), await freePort()];
    await holdPort(simulatorPort);
    const values = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', ARM_ENDPOINT: 'https://localhost:7443', SIMULATOR_SCENARIO: 'empty' };
    const simulator = await runToExit(values, { AZURITE_PORT: '0', SIMULATOR_PORT: String(simulatorPort), LOCALHOST_PORT: String(hostPort) });
    expect(simulator.code).toBe(1);
    expect(simulator.stderr).toContain(`Port ${simulatorPort} (SIMULATOR_PORT) is already in use`);
    expect(simulator.stdout).not.toContain('Processes:');

    await holdPort(hostPort);
    const host = await runToExit({ ...values, ARM_ENDPOINT: 'https://management.azure.com' }, { AZURITE_PORT: '0', LOCALHOST_PORT: String(hostPort) });
    expect(host.code).toBe(1);
    expect(host.stderr).toContain(`Port ${hostPort} (LOCALHOST_PORT) is already in use`);
  });
});

describe('npm start through npm', () => {
  it('SIGTERM to npm stops the supervisor, the simulator, the host and Azurite', async () => {
    const [port, simulatorPort] = [await freePort(), await freePort()];
    const supervisor = await startSupervisor(
      { AzureWebJobsStorage: 'UseDevelopmentStorage=true', ARM_ENDPOINT: 'https://localhost:7443', AZURE_AUTHORITY_HOST: 'https://localhost:7443', SIMULATOR_SCENARIO: 'empty' },
      { LOCALHOST_PORT: String(port), SIMULATOR_PORT: String(simulatorPort), AZURITE_PORT: '0' },
      { viaNpm: true },
    );
    const pids = processIds(supervisor.lines);
    expect(pids).toHaveLength(3);
    expect(pids.every(isAlive)).toBe(true);
    // Only npm itself is signalled, as a process manager or `kill <pid of npm>` does.
    supervisor.child.kill('SIGTERM');
    const code = await Promise.race([supervisor.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
    expect(code).not.toBe('timeout');
    // npm may exit before its child has finished stopping: wait for the processes themselves.
    const deadline = Date.now() + 30_000;
    while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(lineValue(supervisor.lines, HOST_STOPPED_LINE_PREFIX)).toBe('0');
    // Every port is free again: the next npm start can have them.
    for (const p of [port, simulatorPort]) await holdPort(p).then((server) => server.close());
  }, 120_000);
});
