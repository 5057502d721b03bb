/** The pieces of status --watch that do not need a service: progress per plan group, the terminal frame, exit codes. */
import { describe, expect, it } from 'vitest';
import type { AppView, MigrationView } from '../../src/cli/api-types.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { exitCodeOf, groupProgress, isSettled } from '../../src/cli/migration-progress.js';
import { bar, frameLines, redrawPrefix } from '../../src/cli/progress-bar.js';
import { csv } from '../../src/cli/text-format.js';

const PLAN = (name: string) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/${name}`;
const app = (plan: string, outcome: AppView['outcome']) => ({ appId: `${PLAN(plan)}-app`, planId: PLAN(plan), outcome }) as AppView;
const summary = { total: 4, succeeded: 1, rolledBack: 0, failed: 0, skipped: 1, pending: 1, inProgress: 1 };
const migration = (over: Partial<MigrationView> = {}) => ({ id: 'm1', status: 'Running', createdTime: '2026-01-01T00:00:00.000Z', summary, breaker: null, ...over }) as MigrationView;

describe('status --watch progress', () => {
  it('counts apps per plan group in the order listed, done meaning a final outcome', () => {
    const groups = groupProgress([app('b', 'succeeded'), app('b', 'inProgress'), app('a', 'skipped'), app('a', 'pending')]);
    expect(groups.map((g) => [g.name, g.done, g.total])).toEqual([['b', 1, 2], ['a', 1, 2]]);
    expect(groups[0]?.counts).toMatchObject({ succeeded: 1, inProgress: 1 });
  });

  it('draws a frame of bars within the terminal width, and redraws in place', () => {
    const lines = frameLines(migration(), groupProgress([app('web', 'succeeded'), app('web', 'inProgress')]), 60, Date.parse('2026-01-01T00:01:05Z'));
    expect(lines[0]).toBe('Migration m1  Running  1m05s');
    expect(lines[1]).toBe(`all   ${bar(2, 4, 30)} 2/4`);
    expect(lines[2]).toContain(`web   ${bar(1, 2, 30)} 1/2  1 moving`);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(bar(1, 4, 8)).toBe('[##......]');
    expect(redrawPrefix(0)).toBe('');
    expect(redrawPrefix(5)).toBe('\x1b[5A\r\x1b[J');
  });

  it('maps how a migration ended to the documented exit codes', () => {
    expect(exitCodeOf(migration())).toBe(EXIT.ok);
    expect(exitCodeOf(migration({ status: 'Completed', summary: { ...summary, pending: 0, inProgress: 0 } }))).toBe(EXIT.ok);
    expect(exitCodeOf(migration({ status: 'Completed', summary: { ...summary, rolledBack: 1 } }))).toBe(EXIT.migrationFailed);
    expect(exitCodeOf(migration({ status: 'Failed' }))).toBe(EXIT.migrationFailed);
    expect(exitCodeOf(migration({ status: 'Canceled' }))).toBe(EXIT.migrationCanceled);
    expect(exitCodeOf(migration({ status: 'Paused' }))).toBe(EXIT.migrationPaused);
  });

  it('writes CSV a spreadsheet reads back: quotes, doubled quotes, CRLF', () => {
    expect(csv(['a', 'b'], [['x,y', 'say "hi"']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n');
  });
});

describe('when a watch stops', () => {
  it('at a final status, or at Paused once no app is still moving', () => {
    expect(isSettled(migration({ status: 'Running' }))).toBe(false);
    expect(isSettled(migration({ status: 'Completed' }))).toBe(true);
    expect(isSettled(migration({ status: 'Paused' }))).toBe(false);
    expect(isSettled(migration({ status: 'Paused', summary: { ...summary, inProgress: 0 } }))).toBe(true);
  });
});
