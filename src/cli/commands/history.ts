/** `history <appId>`: everything the migrator did or tried on one app, across migrations, oldest first. */
import { Command } from 'commander';
import type { HistoryEntryView } from '../api-types.js';
import { contextOf, printJson, printLines } from '../context.js';
import { table } from '../text-format.js';

export function historyCommand(): Command {
  return new Command('history')
    .summary("one app's audit trail across migrations")
    .description('Every change the migrator made or attempted on one app (site or slot), across migrations, oldest first. --json includes the before and after values.')
    .argument('<appId>', 'full ARM id of the site or slot')
    .action(async (appId: string, _options: unknown, self: Command) => {
      const context = contextOf(self);
      const entries = await context.api.all<HistoryEntryView>(`/apps/${encodeURIComponent(appId)}/history`, { top: '1000' });
      if (context.json) return printJson(context, entries);
      if (entries.length === 0) return printLines(context, [`Nothing recorded for ${appId}.`]);
      printLines(context, table(['TIME', 'MIGRATION', 'ACTION', 'OUTCOME', 'MESSAGE'], entries.map((e) => [e.time, e.migrationId, e.action, e.outcome, e.message ?? ''])));
    });
}
