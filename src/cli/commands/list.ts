/** `list`: migrations, newest first (GET /api/migrations), optionally only those in one status. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { MIGRATION_STATUSES } from '../../domain/migration-model.js';
import type { Page } from '../api-client.js';
import type { MigrationView } from '../api-types.js';
import { contextOf, printJson, printLines } from '../context.js';
import { table } from '../text-format.js';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError(`'${value}' is not a whole number from 1 to 1000.`);
  return n;
}

export function listCommand(): Command {
  return new Command('list')
    .summary('migrations, newest first')
    .addOption(new Option('--status <status>', 'only migrations in this status').choices(MIGRATION_STATUSES))
    .option('--top <n>', 'at most this many', wholeNumber, 20)
    .action(async (options: { status?: string; top: number }, self: Command) => {
      const context = contextOf(self);
      const query = new URLSearchParams({ top: String(options.top), ...(options.status === undefined ? {} : { status: options.status }) });
      const page = await context.api.get<Page<MigrationView>>(`/migrations?${query.toString()}`);
      if (context.json) return printJson(context, page.value);
      if (page.value.length === 0) return printLines(context, ['No migrations.']);
      printLines(context, table(
        ['ID', 'STATUS', 'CREATED', 'SUCCEEDED', 'FAILED', 'ROLLED BACK', 'TOTAL'],
        page.value.map((m) => [m.id, m.status, m.createdTime, String(m.summary.succeeded), String(m.summary.failed), String(m.summary.rolledBack), String(m.summary.total)]),
      ));
    });
}
