/**
 * `report [id] --format table|csv|json`: the record of a migration for change management: one row per app with
 * outcome, downtime, target subnet and reason, after a summary. csv and json are for spreadsheets and scripts.
 */
import { Command, Option } from 'commander';
import type { AppView, MigrationView } from '../api-types.js';
import { contextOf, printJson, printLines } from '../context.js';
import { summaryText } from '../migration-progress.js';
import { csv, shortName, table } from '../text-format.js';
import { resolveMigrationId } from './status.js';

const FORMATS = ['table', 'csv', 'json'] as const;
const HEADERS = ['app', 'plan', 'outcome', 'phase', 'downtime_seconds', 'subnet', 'started', 'finished', 'reason', 'needs_attention', 'message'];

function row(app: AppView, full: boolean): string[] {
  const name = (id: string | null) => (full ? (id ?? '') : shortName(id));
  return [
    name(app.appId),
    name(app.planId),
    app.outcome,
    app.phase,
    app.downtimeSeconds === null ? '' : app.downtimeSeconds.toFixed(1),
    name(app.subnetId),
    app.startedTime ?? '',
    app.finishedTime ?? '',
    app.reasonCode ?? '',
    app.needsAttention ? 'yes' : '',
    app.message ?? '',
  ];
}

export function reportCommand(): Command {
  return new Command('report')
    .summary('per-app record of a migration (table, csv or json)')
    .description('One row per app: outcome, phase, downtime, target subnet, times, reason and message. Without an id, the newest migration. csv keeps full ARM ids.')
    .argument('[id]', 'migration id (default: the newest migration)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .action(async (id: string | undefined, options: { format: (typeof FORMATS)[number] }, self: Command) => {
      const context = contextOf(self);
      const migrationId = await resolveMigrationId(context.api, id);
      const migration = await context.api.get<MigrationView>(`/migrations/${encodeURIComponent(migrationId)}`);
      const apps = await context.api.all<AppView>(`/migrations/${encodeURIComponent(migrationId)}/apps`, { top: '1000' });
      if (context.json || options.format === 'json') return printJson(context, { migration, apps });
      if (options.format === 'csv') return void context.stdout.write(csv(HEADERS, apps.map((a) => row(a, true))));
      const downtimes = apps.flatMap((a) => (a.downtimeSeconds === null ? [] : [a.downtimeSeconds]));
      printLines(context, [
        `Migration ${migration.id}: ${migration.status} (created ${migration.createdTime}, last update ${migration.lastUpdatedTime})`,
        summaryText(migration),
        ...(downtimes.length === 0 ? [] : [`Downtime per migrated app: max ${Math.max(...downtimes).toFixed(1)} s, mean ${(downtimes.reduce((a, b) => a + b, 0) / downtimes.length).toFixed(1)} s`]),
        '',
        ...table(HEADERS.filter((h) => h !== 'started' && h !== 'finished').map((h) => h.toUpperCase()), apps.map((a) => row(a, false)).map((r) => [...r.slice(0, 6), ...r.slice(8)])),
      ]);
    });
}
