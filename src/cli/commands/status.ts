/**
 * `status [id] [--watch]`: a migration's state and progress per plan group and outcome. Without an id, the newest
 * migration. --watch follows it until it completes, fails, is canceled or pauses: on a terminal as progress bars
 * redrawn in place, piped as one plain line per change (what a log or CI job wants). The exit code says how it
 * ended (see exit-codes.ts).
 */
import { Command, InvalidArgumentError } from 'commander';
import type { AppView, MigrationView } from '../api-types.js';
import type { ApiClient } from '../api-client.js';
import { contextOf, printJson, printLines, type CliContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { exitCodeOf, groupProgress, isSettled, summaryText, type GroupProgress } from '../migration-progress.js';
import { frameLines, redrawPrefix } from '../progress-bar.js';
import type { Page } from '../api-client.js';

const APPS_PAGE = '1000';

/** The id given, or the newest migration's. */
export async function resolveMigrationId(api: ApiClient, id: string | undefined): Promise<string> {
  if (id !== undefined) return id;
  const newest = await api.get<Page<MigrationView>>('/migrations?top=1');
  const first = newest.value[0];
  if (first === undefined) throw new CliError(EXIT.notFound, 'There are no migrations yet; start one with `start`.');
  return first.id;
}

interface Snapshot {
  readonly view: MigrationView;
  readonly apps: AppView[];
  readonly groups: GroupProgress[];
}

async function snapshot(api: ApiClient, id: string): Promise<Snapshot> {
  const view = await api.get<MigrationView>(`/migrations/${encodeURIComponent(id)}`);
  const apps = await api.all<AppView>(`/migrations/${encodeURIComponent(id)}/apps`, { top: APPS_PAGE });
  return { view, apps, groups: groupProgress(apps) };
}

function statusLines(s: Snapshot): string[] {
  const { view } = s;
  const lines = [`Migration ${view.id}: ${view.status}`, `Created ${view.createdTime}, updated ${view.lastUpdatedTime}`, summaryText(view)];
  if (view.plan) lines.push(`Plan: ${view.plan.groups} groups, ${view.plan.migrate} to migrate, ${view.plan.skip} skipped, ${view.plan.blocked} blocked`);
  for (const g of s.groups) {
    const c = g.counts;
    lines.push(`  ${g.name}: ${g.done}/${g.total} done (${c.succeeded} succeeded, ${c.failed} failed, ${c.rolledBack} rolled back, ${c.skipped} skipped, ${c.inProgress} in progress)`);
  }
  if (view.error) lines.push(`Error: ${view.error.code}: ${view.error.message}`);
  if (view.breaker) lines.push(`Paused by the failure threshold at ${view.breaker.trippedTime} (${view.breaker.failures} failures).`);
  const schedule = view.schedule;
  if (schedule) {
    const batch = schedule.currentBatch;
    const window = schedule.nextWindow;
    lines.push(
      `Schedule: ${schedule.state}, ${schedule.batchesStarted} batches of up to ${schedule.batchSize} started, ${schedule.queuedApps} apps queued` +
        (batch ? `; batch ${batch.number} (${batch.apps} apps) runs until ${batch.closesTime}` : '') +
        (window && schedule.state === 'waiting' ? `; next window ${window.opensTime} to ${window.closesTime}` : ''),
    );
  }
  return lines;
}

function interval(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600) throw new InvalidArgumentError(`'${value}' is not a number of seconds from 0.1 to 3600.`);
  return seconds;
}

/** Follows a migration until it settles; returns its last state. */
export async function watchMigration(context: CliContext, id: string, everySeconds: number): Promise<MigrationView> {
  const tty = context.stdout.isTTY === true && !context.json;
  let drawn = 0;
  let lastLine = '';
  const finishedGroups = new Set<string>();
  for (;;) {
    const s = await snapshot(context.api, id);
    if (tty) {
      const lines = frameLines(s.view, s.groups, Math.max(40, context.stdout.columns ?? 100));
      context.stdout.write(`${redrawPrefix(drawn)}${lines.join('\n')}\n`);
      drawn = lines.length;
    } else if (!context.json) {
      const line = `${s.view.status}: ${summaryText(s.view)}`;
      if (line !== lastLine) context.stdout.write(`${new Date().toISOString()} ${line}\n`);
      lastLine = line;
      for (const g of s.groups) {
        if (g.done < g.total || finishedGroups.has(g.planId)) continue;
        finishedGroups.add(g.planId);
        const c = g.counts;
        context.stdout.write(`${new Date().toISOString()} group ${g.name} done: ${c.succeeded} succeeded, ${c.failed} failed, ${c.rolledBack} rolled back, ${c.skipped} skipped\n`);
      }
    }
    if (isSettled(s.view)) {
      if (context.json) printJson(context, { ...s.view, groups: s.groups });
      else if (!tty) printLines(context, s.view.error ? [`Error: ${s.view.error.code}: ${s.view.error.message}`] : []);
      return s.view;
    }
    await new Promise((resolve) => setTimeout(resolve, everySeconds * 1000));
  }
}

export function statusCommand(): Command {
  return new Command('status')
    .summary("a migration's state and progress per plan group and outcome")
    .description(
      "Shows a migration's state, counts per outcome and progress per plan group. Without an id, the newest migration. " +
        'With --watch, follows it until it completes, fails, is canceled or pauses (progress bars on a terminal, one line per change when piped). ' +
        'Exit code: 0 running or completed cleanly, 10 failed or completed with failed/rolled-back apps, 11 canceled, 12 paused.',
    )
    .argument('[id]', 'migration id (default: the newest migration)')
    .option('-w, --watch', 'follow the migration until it settles')
    .option('--interval <seconds>', 'how often --watch asks', interval, 2)
    .action(async (id: string | undefined, options: { watch?: boolean; interval: number }, self: Command) => {
      const context = contextOf(self);
      const migrationId = await resolveMigrationId(context.api, id);
      if (options.watch) {
        process.exitCode = exitCodeOf(await watchMigration(context, migrationId, options.interval));
        return;
      }
      const s = await snapshot(context.api, migrationId);
      if (context.json) printJson(context, { ...s.view, groups: s.groups });
      else printLines(context, statusLines(s));
      process.exitCode = exitCodeOf(s.view);
    });
}
