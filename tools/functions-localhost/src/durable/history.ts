/**
 * History events in the shape durable-functions 3.5.0 reads them (EventType numbers, PascalCase fields).
 * The host also stores a few fields of its own on some events (Leaf, NewLeaves, MessageId); the SDK ignores them.
 */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  HistoryState: 18,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

export type EventTypeNumber = (typeof EventType)[keyof typeof EventType];

const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(EventType).map(([name, value]) => [value, name]));

export function eventTypeName(type: number): string {
  return NAMES.get(type) ?? `Unknown${type}`;
}

export interface HistoryEvent {
  readonly EventType: number;
  readonly EventId: number;
  readonly IsPlayed: boolean;
  /** ISO 8601 text. The SDK turns it into a Date in place, so it always gets a copy. */
  readonly Timestamp: string;
  readonly [field: string]: unknown;
}

/** FailureDetails as the SDK's TaskFailedError reads them. */
export interface FailureDetails {
  readonly ErrorType: string;
  readonly ErrorMessage: string;
  readonly StackTrace?: string;
  readonly IsNonRetriable: boolean;
}

export function failureDetailsOf(error: unknown): FailureDetails {
  if (error instanceof Error) {
    return { ErrorType: error.name || 'Error', ErrorMessage: error.message, StackTrace: error.stack, IsNonRetriable: false };
  }
  return { ErrorType: 'Error', ErrorMessage: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error), IsNonRetriable: false };
}

/** JSON text the SDK can JSON.parse: undefined becomes "null" (the SDK would choke on the text "undefined"). */
export function toJsonText(value: unknown): string {
  return value === undefined ? 'null' : (JSON.stringify(value) ?? 'null');
}

export function parseJsonText(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Events that complete something the orchestrator waits for: the only ones an inbox message may carry. */
export const INBOUND_EVENT_TYPES: ReadonlySet<number> = new Set([
  EventType.TaskCompleted,
  EventType.TaskFailed,
  EventType.TimerFired,
  EventType.SubOrchestrationInstanceCompleted,
  EventType.SubOrchestrationInstanceFailed,
  EventType.EventRaised,
]);

/** The id an inbound completion refers to, or undefined for events keyed by name. */
export function completedTaskId(event: HistoryEvent): number | undefined {
  const id = event.EventType === EventType.TimerFired ? event.TimerId : event.TaskScheduledId;
  return typeof id === 'number' ? id : undefined;
}
