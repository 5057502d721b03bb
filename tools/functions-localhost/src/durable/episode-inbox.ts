import { EventType, completedTaskId, type HistoryEvent } from './history.js';
import type { LoadedInstance } from './loaded-instance.js';
import type { InboxMessage } from './table-store.js';

/**
 * Step 1 of an episode (tools/functions-localhost/docs/durable-engine.md, "The episode loop"): take every pending message of the instance in
 * arrival order and sort it into what the episode applies, what it drops and what stays buffered.
 */

export interface ControlChange {
  /** ExecutionSuspended or ExecutionResumed. */
  readonly type: number;
  readonly reason?: string;
}

export interface EpisodeIntake {
  /** Message ids the episode's commit deletes: applied, or dropped as duplicates, strays or after terminate. */
  readonly consumed: string[];
  readonly control: ControlChange[];
  /** Events the episode appends (raised events and accepted completions), in arrival order. */
  readonly inbound: HistoryEvent[];
  /** Whether the instance is suspended once the control messages are applied. */
  readonly suspended: boolean;
  readonly terminating: boolean;
  readonly terminateReason: string | undefined;
}

/** Takes `instance.pending`; messages kept for later (suspended, another execution's) go back to its front. */
export function takeInbox(instance: LoadedInstance): EpisodeIntake {
  const head = instance.head;
  const taken = instance.pending;
  instance.pending = [];
  const consumed: string[] = [];
  const kept: InboxMessage[] = [];
  const control: ControlChange[] = [];
  const inbound: HistoryEvent[] = [];
  let suspended = head.status === 'Suspended';
  let terminateReason: string | undefined;
  let terminating = false;
  const raisedAlready = new Set(instance.history.filter((event) => typeof event.MessageId === 'string').map((event) => event.MessageId as string));
  const takenTaskIds = new Set<number>();

  for (const message of taken) {
    if (terminating) {
      consumed.push(message.id);
      continue;
    }
    if (message.kind !== 'event') {
      consumed.push(message.id);
      if (message.kind === 'terminate') {
        terminating = true;
        terminateReason = message.reason;
      } else if (message.kind === 'suspend' && !suspended) {
        suspended = true;
        control.push({ type: EventType.ExecutionSuspended, ...(message.reason !== undefined ? { reason: message.reason } : {}) });
      } else if (message.kind === 'resume' && suspended) {
        suspended = false;
        control.push({ type: EventType.ExecutionResumed, ...(message.reason !== undefined ? { reason: message.reason } : {}) });
      }
      continue;
    }
    if (message.forExecution !== undefined && message.forExecution !== head.executionId) {
      kept.push(message);
      continue;
    }
    if (suspended) {
      kept.push(message); // buffered until resumed
      continue;
    }
    consumed.push(message.id);
    if (message.executionId !== undefined && message.executionId !== head.executionId) continue; // an earlier execution's
    const event = message.event;
    if (event.EventType === EventType.EventRaised) {
      if (!raisedAlready.has(message.id)) inbound.push({ ...event, MessageId: message.id });
      continue;
    }
    const taskId = completedTaskId(event);
    // Duplicates (an activity re-run after a crash) and strays (an episode lost in a crash) are dropped here.
    if (taskId === undefined || takenTaskIds.has(taskId) || !instance.ledger.accepts(event)) continue;
    takenTaskIds.add(taskId);
    inbound.push(event);
  }
  instance.pending = [...kept, ...instance.pending];
  return { consumed, control, inbound, suspended, terminating, terminateReason };
}
