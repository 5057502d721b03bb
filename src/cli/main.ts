#!/usr/bin/env node
/**
 * vnet-migrator: the operator CLI over the service's HTTP API (never ARM directly, never the stand-ins). The API
 * URL and function key come from --api-url/--key or MIGRATOR_API_URL/MIGRATOR_API_KEY. Exit codes: exit-codes.ts.
 */
import { Command, CommanderError } from 'commander';
import { appsCommand } from './commands/apps.js';
import { controlCommand } from './commands/control.js';
import { discoverCommand } from './commands/discover.js';
import { historyCommand } from './commands/history.js';
import { listCommand } from './commands/list.js';
import { planCommand } from './commands/plan.js';
import { reportCommand } from './commands/report.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { addGlobalOptions } from './context.js';
import { CliError, EXIT } from './exit-codes.js';

const EXIT_CODES_HELP = `
Exit codes:
  0   done (status: running, or completed with no app failed or rolled back)
  1   unexpected error
  2   bad command line or request (nothing was sent)
  3   API unreachable
  4   function key missing or wrong (401/403)
  5   not found (404)
  6   conflict (409): the migration's state does not allow it, or apps are held by another migration
  7   request refused (other 4xx)
  8   service error (5xx)
  10  migration failed, or finished with apps failed or rolled back
  11  migration canceled
  12  migration paused (by an operator or the failure threshold)

Environment: MIGRATOR_API_URL (default http://localhost:7071/api), MIGRATOR_API_KEY.`;

function createProgram(): Command {
  const program = addGlobalOptions(
    new Command('vnet-migrator')
      .description('Moves App Service apps from gateway-based to regional VNet integration, through the migrator service API.')
      .addHelpText('after', EXIT_CODES_HELP),
  );
  for (const command of [
    discoverCommand(),
    planCommand(),
    startCommand(),
    statusCommand(),
    appsCommand(),
    controlCommand('pause'),
    controlCommand('resume'),
    controlCommand('cancel'),
    reportCommand(),
    listCommand(),
    historyCommand(),
  ]) {
    program.addCommand(command);
  }
  // Every command's parse errors end with exit 2, not commander's 1: scripts can tell "I called it wrong" apart.
  const exitOverride = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

async function run(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, --version and a bare `vnet-migrator` (help shown) are not failures.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.unexpected;
  }
}

process.exitCode = await run(process.argv.slice(2));
