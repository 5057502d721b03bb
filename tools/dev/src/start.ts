import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startSimulator, type SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { scenarioSubscriptions } from '@vnet-migrator/arm-simulator/scenario/subscriptions.js';
import { startAzurite, type RunningAzurite } from '@vnet-migrator/functions-localhost/azurite.js';
import { LocalHostError } from '@vnet-migrator/functions-localhost/errors.js';
import { probePort } from '@vnet-migrator/functions-localhost/port-check.js';
import { createSettingsFromSample, loadLocalSettings } from '@vnet-migrator/functions-localhost/settings.js';
import {
  API_LINE_PREFIX,
  CA_FILE_LINE_PREFIX,
  HOST_STOPPED_LINE_PREFIX,
  LISTENING_LINE_PREFIX,
  PROCESSES_LINE_PREFIX,
  READY_LINE,
  SIMULATOR_LINE_PREFIX,
  SUBSCRIPTIONS_LINE_PREFIX,
} from '@vnet-migrator/functions-localhost/supervisor-protocol.js';

/**
 * `npm start`: one supervisor for local development. It reads local.settings.json in the current folder (the
 * repository, for `npm start`; created from local.settings.sample.json when the sample is there and the file is not),
 * starts Azurite (data under .data/azurite) when AzureWebJobsStorage is UseDevelopmentStorage=true, starts the ARM
 * simulator in-process when ARM_ENDPOINT points at this machine, then runs the Functions host (cli.js) as a child
 * process with the settings as environment and NODE_EXTRA_CA_CERTS set to the simulator's CA, so the app's Azure
 * SDK clients trust it. Ctrl-C (SIGINT/SIGTERM) stops all of it, child included.
 *
 * Usage: node tools/dev/dist/start.js [appDir]. Overrides: LOCALHOST_PORT (host, default 7071),
 * SIMULATOR_PORT (default: ARM_ENDPOINT's port or 7443), AZURITE_PORT (default 10002; 0 picks a free one),
 * SIMULATOR_CLOCK_FACTOR (simulated ms per real ms; default the scenario's).
 */

const CHILD_STOP_TIMEOUT_MS = 15_000;

function isDevelopmentStorage(value: string | undefined): boolean {
  return value !== undefined && /^\s*UseDevelopmentStorage\s*=\s*true\s*;?\s*$/i.test(value);
}

function localEndpoint(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LocalHostError('InvalidSettings', `${name} must be a port number (0-65535), not '${raw}'.`);
  return port;
}

function positiveNumberFrom(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new LocalHostError('InvalidSettings', `${name} must be a positive number, not '${raw}'.`);
  return value;
}

/**
 * Refuses, before anything starts, a port another process holds, naming the setting that chooses it: the usual
 * holder is a previous `npm start` still running, and a server failing later would only say EADDRINUSE.
 */
async function requireFreePort(setting: string, port: number): Promise<void> {
  if (port === 0) return;
  const state = await probePort(port);
  if (state === 'free') return;
  throw new LocalHostError(
    'PortInUse',
    state === 'in-use'
      ? `Port ${port} (${setting}) is already in use by another process, perhaps an earlier npm start still running. Stop it, or set ${setting} to another port in local.settings.json or the environment (0 picks a free one).`
      : `Port ${port} (${setting}) may not be listened on by this user. Set ${setting} to another port in local.settings.json or the environment.`,
  );
}

/**
 * Engine waits that suit the simulator (its operations finish in simulated time, sped up by the clock factor):
 * Azure's defaults poll long-running operations every few seconds and retry for minutes. A setting the user gave
 * wins over these.
 */
const SIMULATOR_ENGINE_SETTINGS: Readonly<Record<string, string>> = {
  MIGRATOR_LRO_POLL_MS: '100',
  MIGRATOR_VERIFY_POLL_SECONDS: '0.5',
  MIGRATOR_RETRY_FIRST_SECONDS: '0.2',
  MIGRATOR_RETRY_MAX_SECONDS: '2',
  MIGRATOR_RETRY_MAX_ATTEMPTS: '8',
  MIGRATOR_PROBE_TIMEOUT_MS: '5000',
};

async function main(): Promise<void> {
  const workDir = process.cwd();
  const dataDir = resolve(workDir, '.data');
  const appDir = resolve(process.argv[2] ?? workDir);
  const created = createSettingsFromSample(workDir);
  if (created) process.stdout.write(`Created ${created} from local.settings.sample.json.\n`);
  loadLocalSettings(workDir);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => process.stderr.write(`Stopping failed: ${String(error)}\n`));
  };
  let shuttingDown = false;

  const shutdown = (reason: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.stderr.write(`${reason}: stopping...\n`);
    void stopAll().finally(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));

  try {
    // Values become the child's environment; a few are rewritten to what actually runs.
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    const runAzurite = isDevelopmentStorage(process.env['AzureWebJobsStorage']);
    const armEndpoint = localEndpoint(process.env['ARM_ENDPOINT']);
    const azuritePort = portFrom('AZURITE_PORT', 10002);
    const simulatorPort = portFrom('SIMULATOR_PORT', armEndpoint?.port ? Number(armEndpoint.port) : 7443);
    const port = portFrom('LOCALHOST_PORT', 7071);
    const clockFactor = positiveNumberFrom('SIMULATOR_CLOCK_FACTOR');
    if (runAzurite) await requireFreePort('AZURITE_PORT', azuritePort);
    if (armEndpoint) await requireFreePort('SIMULATOR_PORT', simulatorPort);
    await requireFreePort('LOCALHOST_PORT', port);

    let azurite: RunningAzurite | undefined;
    if (runAzurite) {
      azurite = await startAzurite({ location: resolve(dataDir, 'azurite'), port: azuritePort, detached: true });
      stops.push(() => azurite!.stop());
      childEnv['AzureWebJobsStorage'] = azurite.connectionString;
    }

    let simulator: SimulatorHandle | undefined;
    let subscriptions: string[] = [];
    if (armEndpoint) {
      const sim = await startSimulator({
        port: simulatorPort,
        scenario: process.env['SIMULATOR_SCENARIO'] || 'demo',
        dataDir: resolve(dataDir, 'simulator'),
        ...(clockFactor === undefined ? {} : { clockFactor }),
      });
      simulator = sim;
      subscriptions = scenarioSubscriptions(sim.scenario);
      stops.push(() => sim.stop());
      childEnv['ARM_ENDPOINT'] = sim.url;
      // The simulator is also the token authority when the settings point the authority at this machine.
      if (localEndpoint(process.env['AZURE_AUTHORITY_HOST'])) childEnv['AZURE_AUTHORITY_HOST'] = sim.url;
      childEnv['NODE_EXTRA_CA_CERTS'] = sim.caFile;
      // The simulator also serves the apps ({app}.azurewebsites.net and its Kudu) that the engine probes.
      childEnv['APP_ENDPOINT_ADDRESS'] ||= `127.0.0.1:${sim.port}`;
      for (const [name, value] of Object.entries(SIMULATOR_ENGINE_SETTINGS)) childEnv[name] ||= value;
    }

    const cli = fileURLToPath(import.meta.resolve('@vnet-migrator/functions-localhost/cli.js'));
    const started = spawn(process.execPath, [cli, appDir, '--port', String(port), '--settings-dir', workDir], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
      // Its own process group: a terminal's Ctrl-C reaches only this supervisor, which then stops the host once
      // (a host signalled twice, by the terminal and by us, would take the second signal as "exit now").
      detached: true,
    });
    const exited = new Promise<number | null>((resolveExit) => started.once('exit', (code) => resolveExit(code)));
    // Should the supervisor die of an uncaught error, the detached host must not outlive it.
    process.once('exit', () => {
      if (started.exitCode === null && started.signalCode === null) started.kill('SIGKILL');
    });
    stops.push(async () => {
      if (started.exitCode === null && started.signalCode === null) {
        started.kill('SIGTERM');
        const timer = setTimeout(() => started.kill('SIGKILL'), CHILD_STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      process.stdout.write(`${HOST_STOPPED_LINE_PREFIX}${started.exitCode ?? started.signalCode}\n`);
    });

    const baseUrl = await new Promise<string>((resolveUrl, reject) => {
      const lines = createInterface({ input: started.stdout });
      lines.on('line', (line) => {
        process.stdout.write(`${line}\n`);
        if (line.startsWith(LISTENING_LINE_PREFIX)) resolveUrl(line.slice(LISTENING_LINE_PREFIX.length).trim());
      });
      void exited.then((code) => reject(new LocalHostError('ComponentMissing', `The Functions host exited with code ${code} before listening; see its messages above.`)));
    });
    void exited.then((code) => shutdown(`The Functions host exited with code ${code}`, code === 0 ? 0 : 1));

    process.stdout.write(`${API_LINE_PREFIX}${baseUrl}/api\n`);
    if (simulator) {
      process.stdout.write(`${SIMULATOR_LINE_PREFIX}${simulator.url}\n`);
      process.stdout.write(`${CA_FILE_LINE_PREFIX}${simulator.caFile}\n`);
      process.stdout.write(`${SUBSCRIPTIONS_LINE_PREFIX}${subscriptions.length === 0 ? 'none' : subscriptions.join(' ')}\n`);
    } else {
      process.stdout.write(`ARM endpoint: ${process.env['ARM_ENDPOINT'] ?? 'https://management.azure.com'} (no simulator)\n`);
    }
    process.stdout.write(`${PROCESSES_LINE_PREFIX}supervisor=${process.pid} host=${started.pid} azurite=${azurite?.process.pid ?? 'none'}\n`);
    process.stdout.write(`${READY_LINE}\n`);
  } catch (error) {
    process.stderr.write(`npm start failed: ${error instanceof LocalHostError ? `[${error.code}] ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    shutdown('Startup failed', 1);
  }
}

await main();
