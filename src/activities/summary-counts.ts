import type { AppOutcome, MigrationSummary } from '../domain/migration-model.js';
import type { MigrationStore } from '../state/migration-store.js';
import type { EngineDependencies } from './engine-dependencies.js';

interface CountMove {
  readonly from: AppOutcome;
  readonly to: AppOutcome;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Moves not yet written for one migration, and whether a write is under way. */
interface CountQueue {
  moves: CountMove[];
  waiters: Waiter[];
  writing: boolean;
}

/** Per store (one per process per account), per migration. */
const queues = new WeakMap<MigrationStore, Map<string, CountQueue>>();

/**
 * Moves one app from one count to another in the migration's live summary, so status reads are one row, not a
 * scan of every app. Callers move an app only when its own record changed, so a re-run activity counts nothing
 * twice; finishFleet recounts from the records at the end all the same.
 *
 * The summary lives in the one migration row, and every app moving at once changes it: written one move per ETag
 * round, a hundred writers on the row lost most rounds and some gave up (StateConflict after 20 attempts, measured
 * by bench/state-scale.ts). So the moves of one process are combined: one write per migration is in flight at a
 * time and carries every move that arrived meanwhile, applied in arrival order. The returned promise settles when
 * the write carrying this move has landed (or failed), as before.
 */
export function moveCount(deps: EngineDependencies, migrationId: string, from: AppOutcome, to: AppOutcome): Promise<void> {
  if (from === to) return Promise.resolve();
  const store = deps.state.migrations;
  let byMigration = queues.get(store);
  if (byMigration === undefined) queues.set(store, (byMigration = new Map<string, CountQueue>()));
  let queue = byMigration.get(migrationId);
  if (queue === undefined) byMigration.set(migrationId, (queue = { moves: [], waiters: [], writing: false }));
  const pending = queue;
  return new Promise<void>((resolve, reject) => {
    pending.moves.push({ from, to });
    pending.waiters.push({ resolve, reject });
    if (!pending.writing) void drain(store, migrationId, pending, byMigration);
  });
}

async function drain(store: MigrationStore, migrationId: string, queue: CountQueue, byMigration: Map<string, CountQueue>): Promise<void> {
  queue.writing = true;
  while (queue.moves.length > 0) {
    const moves = queue.moves;
    const waiters = queue.waiters;
    queue.moves = [];
    queue.waiters = [];
    try {
      await store.update(migrationId, (current) => ({ summary: applyMoves(current.summary, moves) }));
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
  queue.writing = false;
  byMigration.delete(migrationId);
}

/** Each move in order, a count never below zero: the same as writing them one by one. */
function applyMoves(current: MigrationSummary, moves: readonly CountMove[]): MigrationSummary {
  const summary: Record<keyof MigrationSummary, number> = { ...current };
  for (const { from, to } of moves) {
    summary[from] = Math.max(0, summary[from] - 1);
    summary[to] += 1;
  }
  return summary;
}
