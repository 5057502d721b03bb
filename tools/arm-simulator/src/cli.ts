#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';

/** `npm run simulator -- --scenario empty --port 7443`: runs the ARM simulator until Ctrl-C or SIGTERM. */
function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`'${value}' is not a non-negative number.`);
  return n;
}

const program = new Command()
  .name('arm-simulator')
  .description('Local HTTPS stand-in for Azure Resource Manager (Microsoft.Web and Microsoft.Network).')
  .option(
    '--scenario <name|file>',
    "world to seed: 'demo' (63 sites, 3 slots, 3 subscriptions), 'empty', 'fleet-<apps>[-seed-<n>]' (a generated fleet, e.g. fleet-1000) or a JSON scenario file",
    'demo',
  )
  .option('--port <port>', 'HTTPS port (0 picks a free one)', positiveNumber, 7443)
  .option('--host <host>', 'host to listen on', 'localhost')
  .option('--data-dir <dir>', 'where the CA and server certificate are kept', '.data/simulator')
  .option('--clock-factor <n>', "simulated milliseconds per real millisecond (default: the scenario's, else 1)", positiveNumber)
  .option('--rbac', 'enforce the scenario RBAC assignments')
  .option('--no-throttling', 'turn off ARM throttling')
  .addHelpText('after', '\nOnce it listens it prints the subscription ids its world holds: scope a migration with them.');

program.parse();
const opts = program.opts<{ scenario: string; port: number; host: string; dataDir: string; clockFactor?: number; rbac?: boolean; throttling: boolean }>();

try {
  // Loaded after parsing, so that --help and a bad option answer without loading the whole simulator.
  const { startSimulator } = await import('./index.js');
  const { scenarioSubscriptions } = await import('./scenario/subscriptions.js');
  const sim = await startSimulator({
    scenario: opts.scenario,
    port: opts.port,
    host: opts.host,
    dataDir: opts.dataDir,
    throttling: opts.throttling,
    ...(opts.clockFactor === undefined ? {} : { clockFactor: opts.clockFactor }),
    ...(opts.rbac === undefined ? {} : { rbac: opts.rbac }),
  });
  const subscriptions = scenarioSubscriptions(sim.scenario);
  console.log(`ARM simulator listening on ${sim.url} (scenario '${sim.scenario.name}', ${sim.store.count()} resources)`);
  console.log(`Subscriptions: ${subscriptions.length === 0 ? 'none' : subscriptions.join(' ')}`);
  console.log(`CA certificate: ${sim.caFile}`);
  console.log(`Trust it with: export NODE_EXTRA_CA_CERTS=${sim.caFile}`);
  const stop = (): void => {
    console.log('Stopping ARM simulator.');
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(
    inUse
      ? `ARM simulator failed to start: port ${opts.port} is already in use (another simulator or npm start still running?). Stop that process or pick another port with --port.`
      : `ARM simulator failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
