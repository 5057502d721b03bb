/**
 * The whole product as the proof suites run it (benchmarks, chaos, and their smoke versions in test/proof): the
 * compiled app (`npm run build` first) on the local Functions + Durable host in its own process (so it can be
 * SIGKILLed), Table Storage on an in-memory Azurite, and the ARM simulator seeded with a generated fleet. Everything
 * is driven through the HTTP API and judged on the simulator's own records (timelines, audit log, ARM state).
 *
 * This mirrors test/e2e/engine-harness.ts, which lives outside the compiled tree; bench code cannot import test/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TokenCredential } from '@azure/identity';
import { azuriteConnectionString, startAzurite, type RunningAzurite } from '@vnet-migrator/functions-localhost/azurite.js';
import { startSimulator, type ExtendedSimulatorOptions, type SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** The repository root, found from this file whether it runs from bench/ (vitest) or dist/bench/ (npm run bench). */
export const REPO_ROOT: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'appservice-vnet-migrator') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('repository root not found above bench/support');
    dir = parent;
  }
})();
const HOST_CLI = path.join(REPO_ROOT, 'tools/functions-localhost/dist/cli.js');
const LISTENING = 'Local Functions host listening on ';
export const SIMULATOR_CERTS = path.join(os.tmpdir(), 'arm-simulator-test-certs');

/** Engine waits shortened to the simulator's sped-up clock (as the e2e tests do). */
export const FAST_ENGINE_SETTINGS: Readonly<Record<string, string>> = {
  MIGRATOR_LRO_POLL_MS: '5',
  MIGRATOR_VERIFY_POLL_SECONDS: '0.1',
  MIGRATOR_RETRY_FIRST_SECONDS: '0.05',
  MIGRATOR_RETRY_MAX_SECONDS: '1',
  MIGRATOR_RETRY_MAX_ATTEMPTS: '8',
  MIGRATOR_PROBE_TIMEOUT_MS: '5000',
};

export interface RunningHost {
  readonly apiUrl: string;
  readonly process: ChildProcess;
  readonly log: string[];
  readonly exited: Promise<number | null>;
}

export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface ProofWorld {
  readonly sim: SimulatorHandle;
  readonly azurite: RunningAzurite;
  /** Present with `storageProxy: true`: the host reaches Azurite through it, so storage can be cut and restored. */
  readonly storage: TcpProxy | undefined;
  host: RunningHost;
  readonly env: NodeJS.ProcessEnv;
  api<T = unknown>(method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer<T>>;
  restartHost(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** A JWT-shaped token with an oid, so the simulator can name the principal. */
export function staticCredential(oid = 'proof-suite'): TokenCredential {
  const payload = Buffer.from(JSON.stringify({ oid, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
  return { getToken: () => Promise.resolve({ token: `e30.${payload}.`, expiresOnTimestamp: Date.now() + 3600_000 }) };
}

export async function startHost(env: NodeJS.ProcessEnv): Promise<RunningHost> {
  if (!existsSync(HOST_CLI)) throw new Error(`${HOST_CLI} is missing: run npm run build first`);
  const log: string[] = [];
  const child = spawn(process.execPath, [HOST_CLI, REPO_ROOT, '--port', '0', '--storage', env['AzureWebJobsStorage'] ?? '', '--settings-dir', env['MIGRATOR_TEST_SETTINGS_DIR'] ?? ''], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const keep = (line: string): void => {
    log.push(line);
    if (log.length > 400) log.splice(0, log.length - 200);
  };
  createInterface({ input: child.stderr }).on('line', keep);
  const apiUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      keep(line);
      if (line.startsWith(LISTENING)) resolve(`${line.slice(LISTENING.length).trim()}/api`);
    });
    void exited.then((code) => reject(new Error(`the host exited with ${code} before listening:\n${log.join('\n')}`)));
  });
  return { apiUrl, process: child, log, exited };
}

export interface ProofWorldOptions {
  readonly simulator: ExtendedSimulatorOptions;
  readonly env?: Readonly<Record<string, string>>;
  readonly storageProxy?: boolean;
}

export async function startProofWorld(options: ProofWorldOptions): Promise<ProofWorld> {
  const sim = await startSimulator({ port: 0, dataDir: SIMULATOR_CERTS, pageSize: 100, ...options.simulator });
  const azurite = await startAzurite();
  const storage = options.storageProxy === true ? await startTcpProxy('127.0.0.1', azurite.port) : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AzureWebJobsStorage: storage === undefined ? azurite.connectionString : azuriteConnectionString('127.0.0.1', storage.port),
    ARM_ENDPOINT: sim.url,
    AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000000',
    AZURE_CLIENT_ID: 'migrator',
    AZURE_CLIENT_SECRET: 'local-only',
    AZURE_AUTHORITY_HOST: sim.url,
    NODE_EXTRA_CA_CERTS: sim.caFile,
    APP_ENDPOINT_ADDRESS: `127.0.0.1:${sim.port}`,
    MIGRATOR_TEST_SETTINGS_DIR: mkdtempSync(path.join(os.tmpdir(), 'proof-settings-')),
    // host.json reads the task hub name from this app setting (as test/e2e/engine-harness.ts sets it).
    TASKHUB_NAME: 'VnetMigratorHub',
    ...FAST_ENGINE_SETTINGS,
    ...options.env,
  };
  const world: ProofWorld = {
    sim,
    azurite,
    storage,
    host: await startHost(env),
    env,
    async api<T>(method: string, pathAndQuery: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
      const response = await fetch(`${world.host.apiUrl}${pathAndQuery}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
      return { status: response.status, body: parsed as T, headers: response.headers };
    },
    async restartHost() {
      world.host = await startHost(env);
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
      await storage?.close();
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
  readonly needsAttention: boolean;
  readonly difference: string[];
}

export const FINAL_STATUSES = ['Completed', 'Failed', 'Canceled'] as const;

export async function waitForMigration(world: ProofWorld, id: string, statuses: readonly string[] = FINAL_STATUSES, timeoutMs = 600_000): Promise<MigrationStatusBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await world.api<MigrationStatusBody>('GET', `/migrations/${id}`);
    if (status === 200 && statuses.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`migration ${id} is ${body?.status ?? status} after ${timeoutMs} ms:\n${world.host.log.slice(-40).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function allApps(world: ProofWorld, id: string): Promise<AppStatusBody[]> {
  const apps: AppStatusBody[] = [];
  let next: string | null = `/migrations/${id}/apps?top=100`;
  while (next !== null) {
    const page: ApiAnswer<{ value: AppStatusBody[]; continuationToken: string | null }> = await world.api('GET', next);
    if (page.status !== 200) throw new Error(`apps page answered ${page.status}`);
    apps.push(...page.body.value);
    next = page.body.continuationToken === null ? null : `/migrations/${id}/apps?top=100&continuationToken=${encodeURIComponent(page.body.continuationToken)}`;
  }
  return apps;
}

/** Starts a migration; throws unless it was accepted (202). */
export async function startMigration(world: ProofWorld, body: unknown): Promise<string> {
  const response = await world.api<{ id: string }>('POST', '/migrations', body);
  if (response.status !== 202) throw new Error(`POST /migrations answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}
