import { TERMINAL_STATUSES, type InstanceStatus, type RuntimeStatus } from './contract.js';
import { EventType, type HistoryEvent } from './history.js';
import type { InboxMessage, IndexRow, InstanceHead } from './table-store.js';
import { TaskLedger } from './task-ledger.js';

/** The in-memory state the engine keeps for an unfinished instance; the table stays the truth. */

export const TERMINAL: ReadonlySet<RuntimeStatus> = new Set(TERMINAL_STATUSES);

export interface LoadedInstance {
  head: InstanceHead;
  /** Committed history of the current execution, every event marked IsPlayed. */
  history: HistoryEvent[];
  ledger: TaskLedger;
  /** Durably written messages not yet in the history, in arrival order. */
  pending: InboxMessage[];
  busy: boolean;
  episodes: number;
  lastEpisodeMs: number;
  activitiesInFlight: number;
  firstPendingAtMs: number | undefined;
  deferTimer: NodeJS.Timeout | undefined;
  waiters: ((status: InstanceStatus) => void)[];
  /** Set after a failed episode until the state is reloaded from the table. */
  reloading: boolean;
}

/** Rebuilds the in-memory state (ledger included) from what the table holds. */
export function loadedInstance(head: InstanceHead, history: readonly HistoryEvent[], pending: InboxMessage[]): LoadedInstance {
  const played = history.map((item) => ({ ...item, IsPlayed: true }));
  const lastStarted = [...played].reverse().find((item) => item.EventType === EventType.OrchestratorStarted);
  return {
    head,
    history: played,
    ledger: TaskLedger.fromHistory(played),
    pending,
    busy: false,
    episodes: 0,
    lastEpisodeMs: lastStarted ? Date.parse(lastStarted.Timestamp) : 0,
    activitiesInFlight: 0,
    firstPendingAtMs: pending.length > 0 ? Date.now() : undefined,
    deferTimer: undefined,
    waiters: [],
    reloading: false,
  };
}

/** The head's row in the Instances index table. */
export function indexRowOf(head: InstanceHead): IndexRow {
  return { instanceId: head.instanceId, name: head.name, status: head.status, createdTime: head.createdTime, lastUpdatedTime: head.lastUpdatedTime };
}
