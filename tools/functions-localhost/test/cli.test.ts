import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { LISTENING_LINE_PREFIX } from '../src/supervisor-protocol.js';
import { requireFreshBuild } from '../../../test/support/compiled.js';

beforeAll(() => requireFreshBuild());

/**
 * The compiled CLI under plain Node (not vitest's module loader, which forgives ESM/CommonJS interop mistakes that
 * real Node rejects): hosting the unchanged durable quickstart, reading the app's own settings, stopping cleanly on a
 * terminal's Ctrl-C, and refusing an app it cannot run.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const cliJs = join(root, 'tools/functions-localhost/dist/cli.js');
const fixture = (name: string) => join(root, 'tools/functions-localhost/test/fixtures', name);

/** `detached`: the CLI leads its own process group, as a shell job does, so a test can Ctrl-C the whole group. */
function runCli(args: string[], options: { cwd?: string; detached?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  if (!existsSync(cliJs)) throw new Error(`${cliJs} is missing: run npm run build first (npm test does).`);
  const child = spawn(process.execPath, [cliJs, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? { ...process.env, FUNCTIONS_KEY: '' },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    detached: options.detached ?? false,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(LISTENING_LINE_PREFIX)) resolve(line.slice(LISTENING_LINE_PREFIX.length));
    });
    void exited.then((code) => reject(new Error(`cli.js exited with ${code}: ${stderr}`)));
  });
  return { child, exited, url, stderr: () => stderr };
}

describe('cli.js', () => {
  it('hosts a CommonJS durable app under plain Node and stops on SIGTERM', async () => {
    const cli = runCli([fixture('durable-sample-app'), '--port', '0', '--storage', 'azurite:memory', '--clock', 'virtual']);
    try {
      const url = await cli.url;
      const started = await fetch(`${url}/api/orchestrators/durableHello1Orchestrator`, { method: 'POST', body: 'cli' });
      expect(started.status).toBe(202);
      const { statusQueryGetUri } = (await started.json()) as { statusQueryGetUri: string };
      let body: { runtimeStatus?: string; output?: unknown } = {};
      for (let i = 0; i < 300 && body.runtimeStatus !== 'Completed'; i++) {
        body = (await (await fetch(statusQueryGetUri)).json()) as typeof body;
        if (body.runtimeStatus !== 'Completed') await new Promise((r) => setTimeout(r, 100));
      }
      expect(body).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Tokyo', 'Hello Seattle', 'Hello Cairo'] });
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  });

  it("reads the app folder's local.settings.json, writes nothing where it is started, and stops at once on a terminal's Ctrl-C", async () => {
    const settingsFile = join(fixture('settings-app'), 'local.settings.json');
    writeFileSync(settingsFile, JSON.stringify({ IsEncrypted: false, Values: { SETTINGS_APP_TASKHUB: 'CliHub', SETTINGS_APP_GREETING: 'Hallo' } }));
    const callerDir = mkdtempSync(join(tmpdir(), 'cli-caller-'));
    const env: NodeJS.ProcessEnv = { ...process.env, FUNCTIONS_KEY: '' };
    for (const name of ['SETTINGS_APP_TASKHUB', 'SETTINGS_APP_GREETING', 'AzureWebJobsStorage']) delete env[name];
    const cli = runCli([fixture('settings-app'), '--port', '0', '--storage', 'azurite:memory'], { cwd: callerDir, detached: true, env });
    try {
      const url = await cli.url;
      expect(await (await fetch(`${url}/api/greeting`)).text()).toBe('Hallo');
      // A finished orchestration: the engine wrote to its storage and holds the task hub lease until it stops.
      const greeted = await fetch(`${url}/api/greet`, { method: 'POST', body: 'Ada' });
      expect(await greeted.json()).toBe('Hallo, Ada');
    } finally {
      // Ctrl-C in a terminal signals the whole foreground process group: the host and whatever shares its group.
      process.kill(-cli.child.pid!, 'SIGINT');
      rmSync(settingsFile, { force: true });
    }
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).not.toMatch(/Cleanup failed|ECONNREFUSED/);
    expect(readdirSync(callerDir)).toEqual([]);
    rmSync(callerDir, { recursive: true, force: true });
  });

  it('refuses an app with a durable entity: exit code 1 and the reason on stderr', async () => {
    const cli = runCli([fixture('entity-app'), '--port', '0']);
    await expect(cli.url).rejects.toThrow();
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain("[UnsupportedBinding] Function 'counter'");
    expect(cli.stderr()).toContain('durable entities are not supported by the local host');
  });

  it('rejects invalid options with a usage message', async () => {
    const cli = runCli([fixture('http-app'), '--clock', 'sideways']);
    expect(await cli.exited).not.toBe(0);
    expect(cli.stderr()).toContain('--clock must be real or virtual');
    await expect(cli.url).rejects.toThrow();
  });
});
