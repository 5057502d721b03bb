import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { probePort } from './port-check.js';

/**
 * Starts Azurite's Table service (the azurite npm package, pure JavaScript) as a child process.
 * Tests use it in memory on a free port; `npm start` keeps its data under a folder so a restart resumes.
 */
export interface AzuriteOptions {
  /** Folder for persisted data. Absent: in memory, gone when the process ends. */
  readonly location?: string;
  /** Table port; 0 or absent picks a free one. */
  readonly port?: number;
  readonly host?: string;
  /** How long to wait for the service to listen. */
  readonly startTimeoutInMs?: number;
  /**
   * Run Azurite in its own process group, so a terminal's Ctrl-C reaches only the supervisor, which then stops
   * Azurite after everything that writes to it has drained. Default false.
   */
  readonly detached?: boolean;
}

export interface RunningAzurite {
  readonly connectionString: string;
  readonly tableEndpoint: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** The well-known development account every Azurite instance serves (public, documented, not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(host: string, port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=http://${host}:${port}/${AZURITE_ACCOUNT};`
  );
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port && options.port > 0 ? options.port : await freePort(host);
  if (options.port && options.port > 0 && (await probePort(port, host)) !== 'free') {
    throw new Error(`Azurite cannot listen on ${host}:${port}: another process holds that port (or it is not permitted). Stop it, or choose another port.`);
  }
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  const args = [main, '--tableHost', host, '--tablePort', String(port), '--disableTelemetry', '--skipApiVersionCheck', '--silent', '--loose'];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  if (options.detached) {
    // Outside our process group no terminal signal reaches it: it must not outlive us if we die abruptly. The guard
    // goes once Azurite has exited, so a process starting many hosts (tests) does not pile up exit listeners.
    const killOnExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
  }
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (options.startTimeoutInMs ?? 30_000);
  // Ready means our child answers as Azurite: a port that merely accepts connections may belong to another process
  // (a leftover Azurite, anything else), and our child then dies of EADDRINUSE a moment later.
  while (!(child.exitCode === null && (await answersAsAzurite(host, port)))) {
    if (child.exitCode !== null) {
      const inUse = /EADDRINUSE/.test(output);
      throw new Error(
        inUse
          ? `Azurite could not listen on ${host}:${port}: another process holds that port. Stop it, or choose another port.`
          : `Azurite exited with code ${child.exitCode} before listening on ${host}:${port}: ${output.trim()}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Azurite did not answer on ${host}:${port} within ${options.startTimeoutInMs ?? 30_000} ms: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    connectionString: azuriteConnectionString(host, port),
    tableEndpoint: `http://${host}:${port}/${AZURITE_ACCOUNT}`,
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT is Azurite's graceful shutdown: it closes the server and saves its database. On SIGTERM it exits at
      // once, losing whatever it had not yet saved (it saves every few seconds), i.e. the last durable writes.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Azurite's Table service names itself in every response's Server header ('Azurite-Table/3.35.0'). */
async function answersAsAzurite(host: string, port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}:${port}/${AZURITE_ACCOUNT}/Tables`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return /^Azurite-Table\//.test(response.headers.get('server') ?? '');
  } catch {
    return false;
  }
}
