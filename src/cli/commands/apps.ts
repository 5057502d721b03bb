/**
 * `apps [id] --status <outcome>`: a migration's apps, optionally only those with one outcome (failed, rolledBack,
 * ...), with the reason and message the engine recorded: the list to act on after a run.
 */
import { Command, Option } from 'commander';
import { APP_OUTCOMES } from '../../domain/migration-model.js';
import type { AppView } from '../api-types.js';
import { contextOf, printJson, printLines } from '../context.js';
import { shortName, table } from '../text-format.js';
import { resolveMigrationId } from './status.js';

export function appsCommand(): Command {
  return new Command('apps')
    .summary("list a migration's apps, e.g. --status failed")
    .description("Lists a migration's apps in plan order with phase, outcome, reason and message. Without an id, the newest migration.")
    .argument('[id]', 'migration id (default: the newest migration)')
    .addOption(new Option('--status <outcome>', 'only apps with this outcome').choices(APP_OUTCOMES))
    .action(async (id: string | undefined, options: { status?: string }, self: Command) => {
      const context = contextOf(self);
      const migrationId = await resolveMigrationId(context.api, id);
      const apps = await context.api.all<AppView>(`/migrations/${encodeURIComponent(migrationId)}/apps`, { top: '1000', status: options.status });
      if (context.json) return printJson(context, apps);
      if (apps.length === 0) return printLines(context, [`No apps${options.status ? ` with status ${options.status}` : ''} in migration ${migrationId}.`]);
      printLines(context, table(
        ['APP', 'PLAN', 'PHASE', 'OUTCOME', 'DOWNTIME', 'REASON', 'MESSAGE'],
        apps.map((a) => [shortName(a.appId), shortName(a.planId), a.phase, a.outcome, a.downtimeSeconds === null ? '-' : `${a.downtimeSeconds.toFixed(1)}s`, a.reasonCode ?? '-', a.message ?? '']),
      ));
    });
}
