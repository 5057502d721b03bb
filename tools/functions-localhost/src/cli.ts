#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { LocalHostError } from './errors.js';
import { startLocalHost, type LocalHostOptions } from './host.js';
import { consoleLogger, type LogLevel } from './logger.js';
import { LISTENING_LINE_PREFIX } from './supervisor-protocol.js';

/**
 * `node tools/functions-localhost/dist/cli.js [appDir] --port 7071 --storage <connection string|azurite:<dir>|azurite:memory>
 *   --clock real|virtual --max-activities N --functions-key K`
 * Prints the base URL on stdout once the host answers (supervisors such as start.ts wait for that line);
 * logs go to stderr. SIGINT/SIGTERM stop it gracefully; a second signal exits at once.
 */


function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
    return n;
  };
}

interface CliOptions {
  port: number;
  host: string;
  storage?: string;
  clock: string;
  clockStart?: string;
  maxActivities?: number;
  functionsKey?: string;
  maxBodyBytes?: number;
  settingsDir?: string;
  logLevel: string;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command()
    .name('localhost')
    .description('Runs an Azure Functions v4 Node app locally: HTTP and timer triggers, orchestrations and activities.')
    .argument('[appDir]', "the app's folder (its package.json main names the files); default: this repository")
    .option('--port <port>', 'HTTP port; 0 picks a free one', positiveInteger('--port'), Number(process.env['LOCALHOST_PORT'] ?? 7071))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--storage <storage>', 'Table Storage for durable state: a connection string, azurite:memory or azurite:<dir> (default: AzureWebJobsStorage)')
    .option('--clock <clock>', 'real, or virtual (durable timers fire as soon as nothing else is pending)', 'real')
    .option('--clock-start <iso>', 'with --clock virtual: the instant the clock reads at start, e.g. 2027-03-27T22:00:00Z')
    .option('--max-activities <n>', 'activities in flight at once', positiveInteger('--max-activities'))
    .option('--functions-key <key>', 'key required by non-anonymous HTTP functions (default: FUNCTIONS_KEY)')
    .option('--max-body-bytes <n>', 'request body limit in bytes (default 100 MB)', positiveInteger('--max-body-bytes'))
    .option('--settings-dir <dir>', "folder of local.settings.json (default: the app's folder, as func start reads it)")
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .showHelpAfterError();
  program.parse(argv, { from: 'node' });
  const opts = program.opts<CliOptions>();
  const [appDir] = program.args;
  if (opts.clock !== 'real' && opts.clock !== 'virtual') program.error(`--clock must be real or virtual, not '${opts.clock}'.`);
  if (opts.clockStart !== undefined && (opts.clock !== 'virtual' || Number.isNaN(Date.parse(opts.clockStart)))) {
    program.error(`--clock-start needs --clock virtual and an ISO 8601 instant, not '${opts.clockStart}'.`);
  }
  if (!['trace', 'debug', 'info', 'warn', 'error'].includes(opts.logLevel)) program.error(`--log-level must be trace, debug, info, warn or error.`);

  const options: LocalHostOptions = {
    ...(appDir ? { appDir } : {}),
    ...(opts.settingsDir ? { settingsDir: opts.settingsDir } : {}),
    port: opts.port,
    host: opts.host,
    clock: opts.clock === 'virtual' ? 'virtual' : 'real',
    ...(opts.clockStart === undefined ? {} : { clockStart: opts.clockStart }),
    logger: consoleLogger(opts.logLevel as LogLevel),
    ...(opts.storage ? { storage: opts.storage } : {}),
    ...(opts.maxActivities !== undefined ? { maxActivities: opts.maxActivities } : {}),
    ...(opts.functionsKey ? { functionsKey: opts.functionsKey } : {}),
    ...(opts.maxBodyBytes !== undefined ? { maxRequestBodyBytes: opts.maxBodyBytes } : {}),
  };

  let host;
  try {
    host = await startLocalHost(options);
  } catch (error) {
    process.stderr.write(`The local host did not start: ${error instanceof LocalHostError ? `[${error.code}] ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${LISTENING_LINE_PREFIX}${host.url}\n`);
  process.stdout.write(`HTTP functions: ${host.apiUrl}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`Second ${signal}: exiting without waiting.\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`${signal}: stopping the local host...\n`);
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main(process.argv);
