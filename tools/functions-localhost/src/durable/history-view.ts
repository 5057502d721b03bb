import type { HistoryEntry } from './contract.js';
import { EventType, eventTypeName, parseJsonText, type HistoryEvent } from './history.js';

/**
 * The history as the Durable Functions extension's HTTP API shows it (`GET instances/{id}?showHistory=true`):
 * the view DurableClient builds from the stored history before answering (azure-functions-durable-extension,
 * DurableClient.GetDurableOrchestrationStatusAsync), so a tool reading it locally reads what Azure returns.
 *
 * - EventType as its name; EventId and IsPlayed never shown; OrchestratorStarted/OrchestratorCompleted left out.
 * - A TaskScheduled (SubOrchestrationInstanceCreated) whose task finished is folded into its TaskCompleted/TaskFailed
 *   (SubOrchestrationInstanceCompleted/Failed): the completion gains FunctionName and ScheduledTime (the scheduling
 *   event's Name and Timestamp), and, with showInput, its Input; TaskScheduledId is dropped. A task still running
 *   keeps its scheduling event.
 * - ExecutionStarted: Name becomes FunctionName; OrchestrationInstance, ParentInstance, Version and Tags dropped.
 * - TimerFired: TimerId dropped.
 * - Result (TaskCompleted, SubOrchestrationInstanceCompleted, ExecutionCompleted) only with showHistoryOutput, then
 *   as parsed JSON; Input (of every event: ExecutionStarted, EventRaised, ExecutionTerminated, folded tasks) only
 *   with showInput, as the stored JSON text.
 */

/** Fields this engine stores for its own replay bookkeeping. */
const ENGINE_FIELDS = ['Leaf', 'NewLeaves', 'MessageId'];
const HIDDEN_EVERYWHERE = ['EventId', 'IsPlayed', ...ENGINE_FIELDS];
const HIDDEN_ON_EXECUTION_STARTED = ['OrchestrationInstance', 'ParentInstance', 'Version', 'Tags'];

export interface HistoryViewOptions {
  readonly showHistoryOutput: boolean;
  readonly showInput: boolean;
}

/** The scheduling event a completion folds in; keyed by kind and task id (EventId). */
interface Scheduling {
  readonly index: number;
  readonly event: HistoryEvent;
}

const SCHEDULED_BY: ReadonlyMap<number, number> = new Map([
  [EventType.TaskCompleted, EventType.TaskScheduled],
  [EventType.TaskFailed, EventType.TaskScheduled],
  [EventType.SubOrchestrationInstanceCompleted, EventType.SubOrchestrationInstanceCreated],
  [EventType.SubOrchestrationInstanceFailed, EventType.SubOrchestrationInstanceCreated],
]);
const WITH_RESULT: ReadonlySet<number> = new Set([EventType.TaskCompleted, EventType.SubOrchestrationInstanceCompleted, EventType.ExecutionCompleted]);

export function historyView(history: readonly HistoryEvent[], options: HistoryViewOptions): HistoryEntry[] {
  const scheduling = new Map<string, Scheduling>();
  const folded = new Set<number>();
  const entries: (Record<string, unknown> | undefined)[] = history.map((event, index) => {
    const type = event.EventType;
    if (type === EventType.OrchestratorStarted || type === EventType.OrchestratorCompleted) return undefined;
    const entry: Record<string, unknown> = { ...event, EventType: eventTypeName(type) };
    if (type === EventType.TaskScheduled || type === EventType.SubOrchestrationInstanceCreated) {
      scheduling.set(`${type}:${event.EventId}`, { index, event });
      delete entry['Version'];
    }
    const scheduledType = SCHEDULED_BY.get(type);
    if (scheduledType !== undefined) {
      const scheduled = scheduling.get(`${scheduledType}:${String(event.TaskScheduledId)}`);
      if (scheduled) {
        entry['ScheduledTime'] = scheduled.event.Timestamp;
        entry['FunctionName'] = scheduled.event.Name;
        entry['Input'] = scheduled.event.Input;
        folded.add(scheduled.index);
      }
      // DTFx completion events carry no Name; this engine stores the activity's for its logs.
      delete entry['TaskScheduledId'];
      delete entry['Name'];
    }
    if (type === EventType.ExecutionStarted) {
      entry['FunctionName'] = event.Name;
      delete entry['Name'];
      for (const field of HIDDEN_ON_EXECUTION_STARTED) delete entry[field];
    }
    if (type === EventType.TimerFired) delete entry['TimerId'];
    if (WITH_RESULT.has(type)) {
      if (options.showHistoryOutput) entry['Result'] = parseJsonText(event.Result) ?? null;
      else delete entry['Result'];
    }
    if (!options.showInput) delete entry['Input'];
    for (const field of HIDDEN_EVERYWHERE) delete entry[field];
    return entry;
  });
  return entries.filter((entry, index): entry is Record<string, unknown> => entry !== undefined && !folded.has(index)) as unknown as HistoryEntry[];
}
