import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RunningSimulator } from '../simulator/contract.js';
import { startSimulator } from '../simulator/index.js';
import { defaultAppDir } from './app-loader.js';
import { startAzurite, type RunningAzurite } from './azurite.js';
import { LocalHostError } from './errors.js';
import { createSettingsFromSample, loadLocalSettings } from './settings.js';
import {
  API_LINE_PREFIX,
  CA_FILE_LINE_PREFIX,
  HOST_STOPPED_LINE_PREFIX,
  LISTENING_LINE_PREFIX,
  PROCESSES_LINE_PREFIX,
  READY_LINE,
  SIMULATOR_LINE_PREFIX,
} from './supervisor-protocol.js';

/**
 * `npm start`: one supervisor for local development. It reads local.settings.json in the current folder (the
 * repository, for `npm start`; created from local.settings.sample.json when the sample is there and the file is not),
 * starts Azurite (data under .data/azurite) when AzureWebJobsStorage is UseDevelopmentStorage=true, starts the ARM
 * simulator in-process when ARM_ENDPOINT points at this machine, then runs the Functions host (cli.js) as a child
 * process with the settings as environment and NODE_EXTRA_CA_CERTS set to the simulator's CA, so the app's Azure
 * SDK clients trust it. Ctrl-C (SIGINT/SIGTERM) stops all of it, child included.
 *
 * Usage: node dist/src/localhost/start.js [appDir]. Overrides: LOCALHOST_PORT (host, default 7071),
 * SIMULATOR_PORT (default: ARM_ENDPOINT's port or 7443), AZURITE_PORT (default 10002; 0 picks a free one).
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

async function main(): Promise<void> {
  const workDir = process.cwd();
  const dataDir = resolve(workDir, '.data');
  const appDir = resolve(process.argv[2] ?? defaultAppDir());
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

    let azurite: RunningAzurite | undefined;
    if (isDevelopmentStorage(process.env['AzureWebJobsStorage'])) {
      azurite = await startAzurite({ location: resolve(dataDir, 'azurite'), port: portFrom('AZURITE_PORT', 10002), detached: true });
      stops.push(() => azurite!.stop());
      childEnv['AzureWebJobsStorage'] = azurite.connectionString;
    }

    let simulator: RunningSimulator | undefined;
    const armEndpoint = localEndpoint(process.env['ARM_ENDPOINT']);
    if (armEndpoint) {
      simulator = await startSimulator({
        port: portFrom('SIMULATOR_PORT', armEndpoint.port ? Number(armEndpoint.port) : 7443),
        scenario: process.env['SIMULATOR_SCENARIO'] || 'demo',
        dataDir: resolve(dataDir, 'simulator'),
      });
      const running = simulator;
      stops.push(() => running.stop());
      childEnv['ARM_ENDPOINT'] = simulator.url;
      // The simulator is also the token authority when the settings point the authority at this machine.
      if (localEndpoint(process.env['AZURE_AUTHORITY_HOST'])) childEnv['AZURE_AUTHORITY_HOST'] = simulator.url;
      childEnv['NODE_EXTRA_CA_CERTS'] = simulator.caFile;
    }

    const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
    const port = portFrom('LOCALHOST_PORT', 7071);
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
    } else {
      process.stdout.write(`ARM endpoint: ${process.env['ARM_ENDPOINT'] ?? 'https://management.azure.com'} (no simulator)\n`);
    }
    process.stdout.write(`${PROCESSES_LINE_PREFIX}host=${started.pid} azurite=${azurite?.process.pid ?? 'none'}\n`);
    process.stdout.write(`${READY_LINE}\n`);
  } catch (error) {
    process.stderr.write(`npm start failed: ${error instanceof LocalHostError ? `[${error.code}] ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    shutdown('Startup failed', 1);
  }
}

await main();
