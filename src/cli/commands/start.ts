/**
 * `start`: starts a migration of a scope (POST /api/migrations) and prints its id; with --watch, follows it like
 * `status --watch` and exits by how it ended.
 */
import { Command } from 'commander';
import type { AcceptedView } from '../api-types.js';
import { contextOf, printJson, printLines } from '../context.js';
import { exitCodeOf } from '../migration-progress.js';
import { addExecutionOptions, addScopeOptions, buildRequest, type RequestFlags } from '../request-options.js';
import { addScheduleOptions } from '../schedule-options.js';
import { watchMigration } from './status.js';

export function startCommand(): Command {
  const command = new Command('start')
    .summary('start migrating a scope; prints the migration id')
    .description(
      'Starts a migration (POST /api/migrations) of the apps the scope selects: each App Service plan gets its subnet, each app is snapshotted, ' +
        'moved to regional integration, verified, and rolled back exactly if verification fails. Run `discover` or `plan` first to see what it will do.',
    )
    .option('--idempotency-key <key>', 'the same key again returns the migration it started instead of a new one (safe retries)')
    .option('-w, --watch', 'then follow it until it settles (as status --watch)')
    .addHelpText(
      'after',
      '\nExamples:\n  vnet-migrator start -s <subscription id> --health-path /health --watch\n' +
        '  vnet-migrator start -s <subscription id> --window "Sat,Sun 01:00-05:00 Europe/Berlin" --batch-size 10 --webhook https://hooks.example.com/x?sig=...',
    );
  addScheduleOptions(addExecutionOptions(addScopeOptions(command)));
  return command.action(async (options: RequestFlags & { idempotencyKey?: string; watch?: boolean }, self: Command) => {
    const context = contextOf(self);
    const body = buildRequest(options, false);
    const accepted = await context.api.post<AcceptedView>('/migrations', body, options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey });
    if (options.watch) {
      if (!context.json) printLines(context, [`Started migration ${accepted.id}.`]);
      process.exitCode = exitCodeOf(await watchMigration(context, accepted.id, 2));
      return;
    }
    if (context.json) printJson(context, accepted);
    else printLines(context, [`Started migration ${accepted.id}.`, `Follow it: status ${accepted.id} --watch`]);
  });
}
