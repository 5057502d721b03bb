import type { Leaf, ReadActions, RetryPolicy } from './actions.js';
import { EventType, completedTaskId, type HistoryEvent } from './history.js';

/**
 * Allocates task ids exactly as durable-functions 3.5.0 does, so that the completion events the host writes
 * (TaskScheduledId, TimerId) land on the tasks the SDK waits for.
 *
 * The SDK numbers a task when it is first yielded (children of Task.all/any in order, depth first), and it
 * allocates further ids on its own while it walks the history: a retryable task takes a new id for the timer
 * after every failed attempt and another for each new attempt; a long timer (beyond maximumShortTimerDuration)
 * takes a new id for every further chunk. Those history-driven allocations never resume the generator, so the
 * host writes the events that cause them first in every episode: then the SDK performs them before it can yield
 * anything new, and the host can number them first too. Replay reproduces the same order from the history.
 *
 * The ledger's state is a fold over the history (see fromHistory), so nothing but the history needs storing.
 */

/** The host's record of a leaf, kept in OrchestratorCompleted.NewLeaves so the ledger can be rebuilt. */
export interface LeafRecord {
  readonly k: Leaf['kind'];
  /** Function name (activity, sub-orchestration) or event name. */
  readonly n?: string;
  readonly r?: RetryPolicy;
  /** Final fire time of a timer, epoch ms. */
  readonly f?: number;
  /** Whether the host runs this timer in chunks (decided once, when first scheduled). */
  readonly long?: boolean;
  /** Explicit sub-orchestration instance id. */
  readonly i?: string;
}

export type ScheduledWork =
  | { readonly type: 'activity'; readonly id: number; readonly leaf: number; readonly name: string; readonly input: unknown; readonly attempt: number }
  | {
      readonly type: 'subOrchestration';
      readonly id: number;
      readonly leaf: number;
      readonly name: string;
      readonly instanceId?: string;
      readonly input: unknown;
      readonly attempt: number;
    }
  | { readonly type: 'timer'; readonly id: number; readonly leaf: number; readonly fireAt: Date; readonly role: 'timer' | 'chunk' | 'retry' };

export class NonDeterminismError extends Error {
  readonly code = 'NonDeterministicOrchestration';
  readonly retryable = false;
  constructor(message: string) {
    super(`NonDeterministicOrchestration: ${message} The orchestrator code no longer replays its history; restore the old code or start a new instance.`);
    this.name = 'NonDeterministicOrchestrationError';
  }
}

/** The SDK's timer settings (what the trigger payload announces). */
export const MAXIMUM_SHORT_TIMER_MS = 6 * 24 * 3600 * 1000;
export const LONG_TIMER_INTERVAL_MS = 3 * 24 * 3600 * 1000;

interface LeafState {
  readonly record: LeafRecord;
  input: unknown;
  attempts: number;
  openId: number | undefined;
  openRole: 'attempt' | 'retryTimer' | 'timer' | undefined;
  done: boolean;
}

const describe = (record: LeafRecord): string => {
  switch (record.k) {
    case 'activity':
      return `${record.r ? 'callActivityWithRetry' : 'callActivity'}('${record.n ?? ''}')`;
    case 'subOrchestration':
      return `${record.r ? 'callSubOrchestratorWithRetry' : 'callSubOrchestrator'}('${record.n ?? ''}')`;
    case 'timer':
      return 'createTimer';
    case 'externalEvent':
      return `waitForExternalEvent('${record.n ?? ''}')`;
  }
};

export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const coefficient = policy.backoffCoefficient && policy.backoffCoefficient > 0 ? policy.backoffCoefficient : 1;
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempt - 1);
  const cap = policy.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 ? Math.min(delay, cap) : delay;
}

export class TaskLedger {
  #nextId = 0;
  readonly #leaves: LeafState[] = [];
  readonly #open = new Map<number, number>();

  get nextId(): number {
    return this.#nextId;
  }

  get leafCount(): number {
    return this.#leaves.length;
  }

  /** How many waitForExternalEvent tasks with this name the orchestrator has yielded (each takes one event). */
  waitCount(eventName: string): number {
    return this.#leaves.filter((leaf) => leaf.record.k === 'externalEvent' && leaf.record.n === eventName).length;
  }

  /** Ids scheduled and not yet completed, with the leaf each belongs to. */
  openTaskIds(): number[] {
    return [...this.#open.keys()];
  }

  /** Whether a completion refers to a task that is still open (duplicates and strays are dropped). */
  accepts(event: HistoryEvent): boolean {
    if (event.EventType === EventType.EventRaised) return true;
    const id = completedTaskId(event);
    if (id === undefined) return false;
    const leafIndex = this.#open.get(id);
    if (leafIndex === undefined) return false;
    const leaf = this.#leaves[leafIndex]!;
    const isTimerEvent = event.EventType === EventType.TimerFired;
    const isTimerRole = leaf.openRole === 'timer' || leaf.openRole === 'retryTimer';
    if (isTimerEvent !== isTimerRole) return false;
    if (!isTimerEvent) {
      const expectsSub = leaf.record.k === 'subOrchestration';
      const isSub = event.EventType === EventType.SubOrchestrationInstanceCompleted || event.EventType === EventType.SubOrchestrationInstanceFailed;
      if (expectsSub !== isSub) return false;
      const name = event.Name;
      if (typeof name === 'string' && name !== leaf.record.n) return false;
    }
    return true;
  }

  /** Whether the SDK allocates an id while processing this event (so it must come first in its episode). */
  isAllocating(event: HistoryEvent, now: Date): boolean {
    const id = completedTaskId(event);
    const leafIndex = id === undefined ? undefined : this.#open.get(id);
    if (leafIndex === undefined) return false;
    const leaf = this.#leaves[leafIndex]!;
    switch (event.EventType) {
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed:
        return leaf.record.r !== undefined;
      case EventType.TimerFired:
        if (leaf.openRole === 'retryTimer') return leaf.attempts < (leaf.record.r?.maxNumberOfAttempts ?? 0);
        return leaf.record.long === true && (leaf.record.f ?? 0) > now.getTime();
      default:
        return false;
    }
  }

  /** Applies one accepted completion; returns the work the SDK now expects (retry timer, next attempt, chunk). */
  applyInbound(event: HistoryEvent, now: Date): ScheduledWork[] {
    if (event.EventType === EventType.EventRaised || !this.accepts(event)) return [];
    const id = completedTaskId(event)!;
    const leafIndex = this.#open.get(id)!;
    this.#open.delete(id);
    const leaf = this.#leaves[leafIndex]!;
    leaf.openId = undefined;
    const policy = leaf.record.r;
    switch (event.EventType) {
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed:
        if (policy) {
          const fireAt = new Date(now.getTime() + retryDelayMs(policy, leaf.attempts));
          return [this.#allocate(leafIndex, 'retryTimer', { type: 'timer', fireAt, role: 'retry' })];
        }
        leaf.done = true;
        return [];
      case EventType.TimerFired:
        if (leaf.openRole === 'retryTimer') {
          if (policy && leaf.attempts < policy.maxNumberOfAttempts) return [this.#attempt(leafIndex)];
          leaf.done = true;
          return [];
        }
        if (leaf.record.long === true && (leaf.record.f ?? 0) > now.getTime()) {
          return [this.#allocate(leafIndex, 'timer', { type: 'timer', fireAt: nextChunk(leaf.record.f ?? 0, now), role: 'chunk' })];
        }
        leaf.done = true;
        return [];
      default:
        leaf.done = true;
        return [];
    }
  }

  /**
   * Checks the replayed leaves against the ones already known (same kind and name at every position) and
   * numbers the new ones. `finished`: the orchestrator returned, failed or continued as new, so it may legally
   * have yielded fewer tasks than before.
   */
  applyActions(read: ReadActions, now: Date, finished: boolean): { work: ScheduledWork[]; newLeaves: LeafRecord[] } {
    const known = this.#leaves.length;
    for (let index = 0; index < Math.min(known, read.leaves.length); index++) {
      const before = this.#leaves[index]!.record;
      const after = recordOf(read.leaves[index]!, now);
      if (before.k !== after.k || before.n !== after.n || (before.r === undefined) !== (after.r === undefined)) {
        throw new NonDeterminismError(`Task #${index} was ${describe(before)} in the history, but the orchestrator now yields ${describe(after)}.`);
      }
    }
    if (read.leaves.length < known && !finished) {
      throw new NonDeterminismError(`The history holds ${known} tasks, but the orchestrator now yields only ${read.leaves.length} before waiting.`);
    }
    const newLeaves = read.leaves.slice(known).map((leaf) => recordOf(leaf, now));
    const inputs = read.leaves.slice(known).map((leaf) => ('input' in leaf ? leaf.input : undefined));
    return { work: this.addLeaves(newLeaves, inputs, now), newLeaves };
  }

  /** Numbers new leaves in order. Used for fresh actions and when rebuilding from the history. */
  addLeaves(records: readonly LeafRecord[], inputs: readonly unknown[], now: Date): ScheduledWork[] {
    const work: ScheduledWork[] = [];
    records.forEach((record, offset) => {
      const leafIndex = this.#leaves.length;
      this.#leaves.push({ record, input: inputs[offset], attempts: 0, openId: undefined, openRole: undefined, done: false });
      switch (record.k) {
        case 'activity':
        case 'subOrchestration':
          work.push(this.#attempt(leafIndex));
          break;
        case 'timer': {
          const fireAt = record.long ? nextChunk(record.f ?? 0, now) : new Date(record.f ?? 0);
          work.push(this.#allocate(leafIndex, 'timer', { type: 'timer', fireAt, role: record.long ? 'chunk' : 'timer' }));
          break;
        }
        case 'externalEvent':
          break; // keyed by name in the SDK: no id
      }
    });
    return work;
  }

  /**
   * Rebuilds the ledger from a history this host wrote: the same operations, replayed with the same inputs
   * (completions in their written order, new leaves from OrchestratorCompleted.NewLeaves).
   */
  static fromHistory(history: readonly HistoryEvent[]): TaskLedger {
    const ledger = new TaskLedger();
    const scheduledInput = new Map<number, unknown>();
    for (const event of history) {
      if ((event.EventType === EventType.TaskScheduled || event.EventType === EventType.SubOrchestrationInstanceCreated) && typeof event.Input === 'string') {
        scheduledInput.set(event.EventId, parseInput(event.Input));
      }
    }
    let now = new Date(0);
    for (const event of history) {
      switch (event.EventType) {
        case EventType.OrchestratorStarted:
          now = new Date(event.Timestamp);
          break;
        case EventType.OrchestratorCompleted: {
          const records = Array.isArray(event.NewLeaves) ? (event.NewLeaves as LeafRecord[]) : [];
          const work = ledger.addLeaves(records, [], now);
          for (const item of work) {
            if (item.type !== 'timer') ledger.#leaves[item.leaf]!.input = scheduledInput.get(item.id);
          }
          break;
        }
        default:
          if (event.EventType !== EventType.EventRaised && completedTaskId(event) !== undefined) ledger.applyInbound(event, now);
      }
    }
    return ledger;
  }

  #attempt(leafIndex: number): ScheduledWork {
    const leaf = this.#leaves[leafIndex]!;
    leaf.attempts += 1;
    const name = leaf.record.n ?? '';
    if (leaf.record.k === 'subOrchestration') {
      return this.#allocate(leafIndex, 'attempt', {
        type: 'subOrchestration',
        name,
        ...(leaf.record.i ? { instanceId: leaf.record.i } : {}),
        input: leaf.input,
        attempt: leaf.attempts,
      });
    }
    return this.#allocate(leafIndex, 'attempt', { type: 'activity', name, input: leaf.input, attempt: leaf.attempts });
  }

  #allocate<W extends DistributiveOmit<ScheduledWork, 'id' | 'leaf'>>(leafIndex: number, role: LeafState['openRole'], work: W): ScheduledWork {
    const id = this.#nextId++;
    const leaf = this.#leaves[leafIndex]!;
    leaf.openId = id;
    leaf.openRole = role;
    this.#open.set(id, leafIndex);
    return { ...work, id, leaf: leafIndex };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function nextChunk(finalMs: number, now: Date): Date {
  return finalMs - now.getTime() > MAXIMUM_SHORT_TIMER_MS ? new Date(now.getTime() + LONG_TIMER_INTERVAL_MS) : new Date(finalMs);
}

function recordOf(leaf: Leaf, now: Date): LeafRecord {
  switch (leaf.kind) {
    case 'activity':
      return { k: 'activity', n: leaf.name, ...(leaf.retry ? { r: leaf.retry } : {}) };
    case 'subOrchestration':
      return { k: 'subOrchestration', n: leaf.name, ...(leaf.retry ? { r: leaf.retry } : {}), ...(leaf.instanceId ? { i: leaf.instanceId } : {}) };
    case 'timer': {
      const f = leaf.fireAt.getTime();
      // Chunked only if the SDK surely made a LongTimerTask: it measured from a time <= now, so a longer distance.
      return f - now.getTime() > MAXIMUM_SHORT_TIMER_MS ? { k: 'timer', f, long: true } : { k: 'timer', f };
    }
    case 'externalEvent':
      return { k: 'externalEvent', n: leaf.name };
  }
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
