/**
 * The whole product, as it runs: the compiled app on the local Functions + Durable host in its own process (so it
 * can be SIGKILLed, and so NODE_EXTRA_CA_CERTS makes its Azure SDK clients trust the simulator exactly as `npm
 * start` does), Table Storage on an in-memory Azurite, and the ARM simulator with the demo fleet. Tests drive it
 * through the HTTP API only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startAzurite, type RunningAzurite } from '@vnet-migrator/functions-localhost/azurite.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import type { ExtendedSimulatorOptions } from '@vnet-migrator/arm-simulator/index.js';
import { startTestSimulator } from '@vnet-migrator/arm-simulator/testing.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST_CLI = path.join(REPO_ROOT, 'tools/functions-localhost/dist/cli.js');
const LISTENING = 'Local Functions host listening on ';

export interface RunningHost {
  readonly apiUrl: string;
  readonly process: ChildProcess;
  readonly log: string[];
  readonly exited: Promise<number | null>;
}

export interface EngineWorld {
  readonly sim: SimulatorHandle;
  readonly azurite: RunningAzurite;
  host: RunningHost;
  /** Environment the host runs with (extend it per test before restart). */
  readonly env: NodeJS.ProcessEnv;
  api<T = unknown>(method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }>;
  restartHost(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Engine waits shortened to the simulator's sped-up clock. */
export const FAST_ENGINE_SETTINGS = {
  MIGRATOR_LRO_POLL_MS: '5',
  MIGRATOR_VERIFY_POLL_SECONDS: '0.2',
  MIGRATOR_RETRY_FIRST_SECONDS: '0.05',
  MIGRATOR_RETRY_MAX_SECONDS: '1',
  MIGRATOR_RETRY_MAX_ATTEMPTS: '8',
  MIGRATOR_PROBE_TIMEOUT_MS: '5000',
};

export async function startHost(env: NodeJS.ProcessEnv, extraArgs: readonly string[] = []): Promise<RunningHost> {
  const log: string[] = [];
  const child = spawn(process.execPath, [HOST_CLI, REPO_ROOT, '--port', '0', '--storage', env['AzureWebJobsStorage'] ?? '', '--settings-dir', env['MIGRATOR_TEST_SETTINGS_DIR'] ?? '', ...extraArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
  const apiUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(line);
      if (line.startsWith(LISTENING)) resolve(`${line.slice(LISTENING.length).trim()}/api`);
    });
    void exited.then((code) => reject(new Error(`the host exited with ${code} before listening:\n${log.join('\n')}`)));
  });
  return { apiUrl, process: child, log, exited };
}

export async function startEngineWorld(options: { simulator?: ExtendedSimulatorOptions; env?: Record<string, string>; hostArgs?: readonly string[] } = {}): Promise<EngineWorld> {
  const sim = await startTestSimulator({ scenario: 'demo', clockFactor: 300, longRunningOperationMs: 3000, pageSize: 100, ...options.simulator });
  const azurite = await startAzurite();
  const settingsDir = mkdtempSync(path.join(tmpdir(), 'engine-settings-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AzureWebJobsStorage: azurite.connectionString,
    ARM_ENDPOINT: sim.url,
    AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000000',
    AZURE_CLIENT_ID: 'migrator',
    AZURE_CLIENT_SECRET: 'local-only',
    AZURE_AUTHORITY_HOST: sim.url,
    NODE_EXTRA_CA_CERTS: sim.caFile,
    APP_ENDPOINT_ADDRESS: `127.0.0.1:${sim.port}`,
    MIGRATOR_TEST_SETTINGS_DIR: settingsDir,
    // host.json reads the task hub name from this app setting (local.settings.sample.json has the same default).
    TASKHUB_NAME: 'VnetMigratorHub',
    ...FAST_ENGINE_SETTINGS,
    ...options.env,
  };
  const world: EngineWorld = {
    sim,
    azurite,
    host: await startHost(env, options.hostArgs),
    env,
    async api<T>(method: string, pathAndQuery: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${world.host.apiUrl}${pathAndQuery}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T, headers: response.headers };
    },
    async restartHost() {
      world.host = await startHost(env, options.hostArgs);
    },
    async kill() {
      world.host.process.kill('SIGKILL');
      await world.host.exited;
    },
    async stop() {
      if (world.host.process.exitCode === null && world.host.process.signalCode === null) {
        world.host.process.kill('SIGTERM');
        await world.host.exited;
      }
      await sim.stop();
      await azurite.stop();
    },
  };
  return world;
}

export interface MigrationStatusBody {
  readonly id: string;
  readonly status: string;
  readonly summary: Record<string, number>;
  readonly plan: { groups: number; migrate: number; skip: number; blocked: number } | null;
  readonly gatewayReport: { gateways: { gatewayId: string; unused: boolean }[]; unusedCount: number } | null;
  readonly error: { code: string; message: string } | null;
}

export interface AppStatusBody {
  readonly appId: string;
  readonly phase: string;
  readonly outcome: string;
  readonly reasonCode: string | null;
  readonly message: string | null;
  readonly subnetId: string | null;
  readonly downtimeSeconds: number | null;
  readonly startedTime: string | null;
  readonly finishedTime: string | null;
  readonly needsAttention: boolean;
  readonly difference: string[];
}

export async function waitForMigration(world: EngineWorld, id: string, statuses: readonly string[], timeoutMs = 180_000): Promise<MigrationStatusBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await world.api<MigrationStatusBody>('GET', `/migrations/${id}`);
    if (status === 200 && statuses.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`migration ${id} is ${body?.status ?? status} after ${timeoutMs} ms:\n${world.host.log.slice(-40).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function allApps(world: EngineWorld, id: string): Promise<AppStatusBody[]> {
  const apps: AppStatusBody[] = [];
  let next: string | null = `/migrations/${id}/apps?top=100`;
  while (next !== null) {
    const page: { status: number; body: { value: AppStatusBody[]; continuationToken: string | null } } = await world.api('GET', next);
    if (page.status !== 200) throw new Error(`apps page answered ${page.status}`);
    apps.push(...page.body.value);
    next = page.body.continuationToken === null ? null : `/migrations/${id}/apps?top=100&continuationToken=${encodeURIComponent(page.body.continuationToken)}`;
  }
  return apps;
}
