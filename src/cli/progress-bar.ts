/**
 * A terminal frame of a migration's progress: an overall bar and one bar per plan group, redrawn in place. Plain
 * ANSI (cursor up, clear to end): a library would add little for a dozen lines.
 */
import type { MigrationView } from './api-types.js';
import { summaryText, type GroupProgress } from './migration-progress.js';

export function bar(done: number, total: number, width: number): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(Math.max(0, width - filled))}]`;
}

function clip(line: string, columns: number): string {
  return line.length > columns ? `${line.slice(0, Math.max(0, columns - 1))}…` : line;
}

/** The lines of one frame, each at most `columns` wide. */
export function frameLines(view: MigrationView, groups: readonly GroupProgress[], columns: number, now = Date.now()): string[] {
  const elapsed = Math.max(0, Math.round((now - Date.parse(view.createdTime)) / 1000));
  const s = view.summary;
  const done = s.total - s.pending - s.inProgress;
  const nameWidth = Math.min(32, Math.max(5, ...groups.map((g) => g.name.length)));
  const lines = [
    `Migration ${view.id}  ${view.status}  ${Math.floor(elapsed / 60)}m${String(elapsed % 60).padStart(2, '0')}s`,
    `${'all'.padEnd(nameWidth)} ${bar(done, s.total, 30)} ${done}/${s.total}`,
    ...groups.map((g) => {
      const c = g.counts;
      const extra = [c.failed > 0 ? `${c.failed} failed` : '', c.rolledBack > 0 ? `${c.rolledBack} rolled back` : '', c.inProgress > 0 ? `${c.inProgress} moving` : '', c.skipped > 0 ? `${c.skipped} skipped` : '']
        .filter(Boolean)
        .join(', ');
      return `${g.name.slice(0, nameWidth).padEnd(nameWidth)} ${bar(g.done, g.total, 30)} ${g.done}/${g.total}${extra ? `  ${extra}` : ''}`;
    }),
    summaryText(view),
  ];
  if (view.breaker) lines.push(`Paused by the failure threshold: ${view.breaker.failures} failures (resume after fixing, or cancel).`);
  return lines.map((l) => clip(l, columns));
}

/** ANSI: move the cursor up `n` lines to the start, and clear from there to the end of the screen. */
export function redrawPrefix(previousLineCount: number): string {
  return previousLineCount === 0 ? '' : `\x1b[${previousLineCount}A\r\x1b[J`;
}
