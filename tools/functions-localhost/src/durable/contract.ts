import type { InvocationContext } from '@azure/functions';

/**
 * The seam between the local host's parts: the function host (registrations, HTTP, timers), the durable engine
 * (orchestration replay, persistence, recovery) and the Durable HTTP management API. Each side codes against
 * this file, not against the other's internals.
 */

/** A handler exactly as the app registered it through @azure/functions (durable-functions wraps its own). */
export type FunctionHandler = (triggerInput: unknown, context: InvocationContext) => unknown;

export type RuntimeStatus =
  | 'Pending'
  | 'Running'
  | 'Completed'
  | 'ContinuedAsNew'
  | 'Failed'
  | 'Canceled'
  | 'Terminated'
  | 'Suspended';

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Canceled', 'Terminated'];

/** One history event as the Durable HTTP API shows it with showHistory=true (EventType as a name). */
export interface HistoryEntry {
  readonly EventType: string;
  readonly Timestamp: string;
  readonly [field: string]: unknown;
}

/** The status body of the Durable HTTP API: `input` and `output` are always present (null is fine). */
export interface InstanceStatus {
  readonly name: string;
  readonly instanceId: string;
  readonly runtimeStatus: RuntimeStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly customStatus: unknown;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly history?: readonly HistoryEntry[];
}

export interface StatusOptions {
  readonly showHistory?: boolean;
  readonly showHistoryOutput?: boolean;
  /** Defaults to true, as the real API does. */
  readonly showInput?: boolean;
}

export interface InstanceFilter {
  readonly createdTimeFrom?: Date;
  readonly createdTimeTo?: Date;
  readonly runtimeStatus?: readonly RuntimeStatus[];
  readonly instanceIdPrefix?: string;
}

export interface InstanceQuery extends InstanceFilter {
  readonly pageSize?: number;
  readonly continuationToken?: string;
  readonly showInput?: boolean;
}

export interface InstancePage {
  readonly instances: readonly InstanceStatus[];
  /** Absent on the last page. */
  readonly continuationToken?: string;
}

export interface StartOptions {
  readonly instanceId?: string;
  readonly input?: unknown;
}

export interface DurableEngine {
  readonly taskHubName: string;
  registerOrchestrator(name: string, handler: FunctionHandler): void;
  registerActivity(name: string, handler: FunctionHandler): void;
  hasOrchestrator(name: string): boolean;
  /** Creates its tables, recovers every unfinished instance and pending work item, starts dispatching. */
  start(): Promise<void>;
  /** Stops dispatching and waits for running episodes and activities to settle. */
  stop(): Promise<void>;

  /** Returns the instance id. Throws UnknownOrchestratorError or InstanceAlreadyRunningError. */
  startNew(orchestratorName: string, options?: StartOptions): Promise<string>;
  getStatus(instanceId: string, options?: StatusOptions): Promise<InstanceStatus | undefined>;
  query(query?: InstanceQuery): Promise<InstancePage>;
  /** Throws InstanceNotFoundError, or InstanceNotRunningError when it has finished. */
  raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void>;
  terminate(instanceId: string, reason?: string): Promise<void>;
  suspend(instanceId: string, reason?: string): Promise<void>;
  resume(instanceId: string, reason?: string): Promise<void>;
  /** Deletes a finished instance and its history; returns how many instances were deleted (0 or 1). */
  purge(instanceId: string): Promise<number>;
  purgeBy(filter: InstanceFilter): Promise<number>;

  /** Resolves when nothing is running or runnable (timers in the future aside). For tests and benchmarks. */
  waitForIdle(options?: { timeoutInMs?: number }): Promise<void>;
  /** Resolves with the status once the instance reaches a terminal state (or ContinuedAsNew chains end). */
  waitForCompletion(instanceId: string, options?: { timeoutInMs?: number }): Promise<InstanceStatus>;
}

export interface DurableEngineOptions {
  /** Table Storage: Azurite's or a real account's connection string. */
  readonly connectionString: string;
  readonly taskHubName: string;
  /** Activities in flight at once across all instances. */
  readonly maxConcurrentActivities?: number;
  /** 'virtual' skips time: timers fire as soon as nothing else is pending. Default 'real'. */
  readonly clock?: 'real' | 'virtual';
  /** Virtual clock only: the instant (ms since the epoch) it reads at start; the wall clock's by default. */
  readonly clockStartMs?: number;
  readonly log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Engine failures the management API maps to HTTP statuses. */
export class DurableHostError extends Error {
  constructor(
    readonly code: 'InstanceNotFound' | 'InstanceAlreadyRunning' | 'InstanceNotRunning' | 'UnknownOrchestrator' | 'InvalidRequest',
    readonly httpStatus: 404 | 409 | 410 | 400,
    message: string,
  ) {
    super(message);
    this.name = `${code}Error`;
  }
}

export const instanceNotFound = (id: string) => new DurableHostError('InstanceNotFound', 404, `No instance with id '${id}' exists in this task hub.`);
export const instanceAlreadyRunning = (id: string) =>
  new DurableHostError('InstanceAlreadyRunning', 409, `An instance with id '${id}' is already running; pick another id or wait for it to finish.`);
export const instanceNotRunning = (id: string, status: RuntimeStatus) =>
  new DurableHostError('InstanceNotRunning', 410, `Instance '${id}' is ${status}; it no longer accepts this operation.`);
export const unknownOrchestrator = (name: string) =>
  new DurableHostError('UnknownOrchestrator', 400, `The app registers no orchestrator named '${name}'.`);
