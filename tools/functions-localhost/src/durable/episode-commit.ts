import { randomUUID } from 'node:crypto';
import { newExecutionId } from './execution-ids.js';
import { EventType, type HistoryEvent } from './history.js';
import { TERMINAL, indexRowOf, type LoadedInstance } from './loaded-instance.js';
import { newMessageId, type DurableStore, type InboxMessage, type InstanceHead } from './table-store.js';
import { TaskLedger } from './task-ledger.js';

/**
 * Committing an episode: the head row is the commit point (tools/functions-localhost/docs/durable-engine.md, "Crash safety"). The in-memory
 * instance follows the table only after the store accepted the episode.
 */

export interface EpisodeToCommit {
  readonly events: HistoryEvent[];
  /** Inbox message ids the episode took (applied or dropped). */
  readonly consumed: string[];
  readonly head: InstanceHead;
}

export interface EpisodeCommitDependencies {
  readonly store: DurableStore;
  track(promise: Promise<unknown>): void;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** The instance reached a terminal status. */
  finished(instance: LoadedInstance): void;
}

export class EpisodeCommitter {
  readonly #deps: EpisodeCommitDependencies;
  #episodes = 0;
  #historyEvents = 0;

  constructor(deps: EpisodeCommitDependencies) {
    this.#deps = deps;
  }

  /** Orchestrator episodes (replays) committed since start. */
  get episodeCount(): number {
    return this.#episodes;
  }
  /** History events committed since start. */
  get historyEventCount(): number {
    return this.#historyEvents;
  }

  async commit(instance: LoadedInstance, episode: EpisodeToCommit): Promise<void> {
    const previous = instance.head;
    const head: InstanceHead = { ...episode.head, historyLength: previous.historyLength + episode.events.length };
    if (head.customStatus === undefined) delete (head as { customStatus?: string }).customStatus;
    await this.#deps.store.commitEpisode({ head, fromSequence: previous.historyLength, newEvents: episode.events, consumedMessageIds: episode.consumed });
    instance.head = head;
    for (const item of episode.events) instance.history.push({ ...item, IsPlayed: true });
    const started = episode.events.find((item) => item.EventType === EventType.OrchestratorStarted);
    if (started) {
      instance.lastEpisodeMs = Date.parse(started.Timestamp);
      instance.episodes += 1;
      this.#episodes += 1;
    }
    this.#historyEvents += episode.events.length;
    if (previous.status !== head.status) this.#deps.track(this.#deps.store.writeIndex(indexRowOf(head)));
    if (TERMINAL.has(head.status)) this.#deps.finished(instance);
  }

  /** Starts the next execution in the same commit: new executionId, empty history, the new input. */
  async continueAsNew(instance: LoadedInstance, history: readonly HistoryEvent[], input: string, customStatus: string | undefined, consumed: string[], timestamp: string): Promise<void> {
    const previous = instance.head;
    const executionId = newExecutionId();
    // Events nobody waited for travel to the next execution, as in Durable Functions.
    const raisedByName = new Map<string, HistoryEvent[]>();
    for (const item of history) {
      if (item.EventType !== EventType.EventRaised) continue;
      const name = String(item.Name);
      raisedByName.set(name, [...(raisedByName.get(name) ?? []), item]);
    }
    const carried: InboxMessage[] = [];
    for (const [name, events] of raisedByName) {
      for (const item of events.slice(instance.ledger.waitCount(name))) {
        const { MessageId: _drop, ...rest } = item;
        carried.push({ id: newMessageId('carry', randomUUID()), kind: 'event', forExecution: executionId, event: { ...rest, IsPlayed: false } });
      }
    }
    const head: InstanceHead = {
      instanceId: previous.instanceId,
      name: previous.name,
      executionId,
      status: previous.status === 'Suspended' ? 'Suspended' : 'Running',
      input,
      ...(customStatus !== undefined ? { customStatus } : {}),
      createdTime: previous.createdTime,
      lastUpdatedTime: timestamp,
      historyLength: 0,
      ...(previous.parent ? { parent: previous.parent } : {}),
    };
    await this.#deps.store.commitEpisode({ head, fromSequence: 0, newEvents: [], consumedMessageIds: consumed, newMessages: carried });
    // Logged right after the commit point, before the old rows go: a crash test kills the process on this line.
    this.#deps.log('debug', `Instance '${previous.instanceId}' continued as new: execution ${executionId} (${carried.length} event(s) carried).`);
    const oldRows = history.map((_item, index) => `h:${previous.executionId}:${String(index).padStart(8, '0')}`).slice(0, previous.historyLength);
    this.#deps.track(this.#deps.store.deleteRows(previous.instanceId, oldRows));
    instance.head = head;
    instance.history = [];
    instance.ledger = new TaskLedger();
    instance.pending = [...carried, ...instance.pending];
    instance.episodes += 1;
    this.#episodes += 1;
    if (previous.status !== head.status) this.#deps.track(this.#deps.store.writeIndex(indexRowOf(head)));
  }
}
