import type { DurableEngineOptions, FunctionHandler, RuntimeStatus } from './contract.js';
import { readActions } from './actions.js';
import type { ActivityWork } from './activity-dispatcher.js';
import { MAX_VALUE_LENGTH, ValueTooLargeError } from './chunked-text.js';
import type { EngineClock } from './engine-clock.js';
import type { EpisodeCommitter } from './episode-commit.js';
import { takeInbox, type EpisodeIntake } from './episode-inbox.js';
import { defaultSubOrchestrationId } from './execution-ids.js';
import { EventType, parseJsonText, toJsonText, type FailureDetails, type HistoryEvent } from './history.js';
import { TERMINAL, type LoadedInstance } from './loaded-instance.js';
import { invokeOrchestrator } from './orchestrator-invoker.js';
import type { InstanceHead } from './table-store.js';
import { NonDeterminismError, type LeafRecord, type ScheduledWork } from './task-ledger.js';

/**
 * Builds and commits one episode of one instance: take the inbox, append the new events, replay the orchestrator,
 * record what it scheduled or how it ended, commit, then dispatch the new work. The numbered steps are those of
 * tools/functions-localhost/docs/durable-engine.md, "The episode loop".
 */

type SubOrchestrationWork = Extract<ScheduledWork, { type: 'subOrchestration' }>;

export interface EpisodeRunnerDependencies {
  readonly orchestrators: ReadonlyMap<string, FunctionHandler>;
  readonly clock: EngineClock;
  readonly log: NonNullable<DurableEngineOptions['log']>;
  readonly committer: EpisodeCommitter;
  enqueueActivity(instance: LoadedInstance, work: ActivityWork): void;
  armTimer(instanceId: string, executionId: string, id: number, fireAtMs: number): void;
  /** Creates the child instance in the background. */
  createChild(parentHead: InstanceHead, taskId: number, name: string, input: unknown, childId: string): void;
}

/** Makes a history event stamped with the episode's time. */
type NewEvent = (type: number, fields?: Record<string, unknown>, eventId?: number) => HistoryEvent;

/** What the orchestrator decided in this episode (steps 4 and 5). */
interface OrchestratorTurn {
  failure: FailureDetails | undefined;
  output: string | undefined;
  customStatus: unknown;
  continueAsNew: { input: unknown } | undefined;
  newLeaves: LeafRecord[];
  /** Work the orchestrator newly asked for. */
  work: ScheduledWork[];
}

interface ScheduledChild {
  readonly work: SubOrchestrationWork;
  readonly instanceId: string;
}

export class EpisodeRunner {
  readonly #deps: EpisodeRunnerDependencies;

  constructor(deps: EpisodeRunnerDependencies) {
    this.#deps = deps;
  }

  async run(instance: LoadedInstance): Promise<void> {
    const head = instance.head;
    if (TERMINAL.has(head.status)) return;
    const intake = takeInbox(instance);

    const nowMs = this.#episodeTimeMs(instance, intake.inbound);
    const timestamp = new Date(nowMs).toISOString();
    const event: NewEvent = (type, fields = {}, eventId = -1) => ({ EventType: type, EventId: eventId, IsPlayed: false, Timestamp: timestamp, ...fields });
    const controlEvents = intake.control.map((item) => event(item.type, item.reason !== undefined ? { Reason: item.reason } : {}));

    if (intake.terminating) {
      const output = toJsonText(intake.terminateReason ?? null);
      await this.#deps.committer.commit(instance, {
        events: [...controlEvents, event(EventType.ExecutionTerminated, { Input: output })],
        consumed: intake.consumed,
        head: { ...head, status: 'Terminated', output, lastUpdatedTime: timestamp },
      });
      return;
    }

    const starting = head.historyLength === 0;
    if (!starting && intake.inbound.length === 0) {
      await this.#commitControlOnly(instance, intake, controlEvents, timestamp);
      return;
    }

    const now = new Date(nowMs);
    const opening = this.#openingEvents(instance, intake, controlEvents, event, now);
    const turn = await this.#replay(instance, opening.events, now);
    const work = [...opening.work, ...turn.work];

    const customStatusText = turn.customStatus === undefined ? undefined : JSON.stringify(turn.customStatus);
    let failure = turn.failure ?? this.#oversizedResult(turn.output, customStatusText);
    const keptCustomStatus = customStatusText !== undefined && customStatusText.length <= MAX_VALUE_LENGTH ? customStatusText : undefined;

    if (turn.continueAsNew && !failure) {
      const input = JSON.stringify(turn.continueAsNew.input) ?? 'null';
      if (input.length <= MAX_VALUE_LENGTH) {
        await this.#deps.committer.continueAsNew(instance, [...instance.history, ...opening.events], input, keptCustomStatus, intake.consumed, timestamp);
        return;
      }
      failure = { ErrorType: 'ValueTooLarge', ErrorMessage: `The continueAsNew input is ${input.length} characters of JSON; the local host stores at most ${MAX_VALUE_LENGTH}.`, IsNonRetriable: true };
    }

    const running = !failure && turn.output === undefined;
    const scheduled = running ? this.#schedulingEvents(head, work, event) : { events: [], children: [], failure: undefined };
    failure ??= scheduled.failure;

    const closing = this.#closing(head, intake.suspended, failure, turn.output, event);
    const persisted = [
      ...opening.events,
      ...(closing.status === 'Failed' ? [] : scheduled.events),
      ...closing.events,
      event(EventType.OrchestratorCompleted, turn.newLeaves.length > 0 && closing.status !== 'Failed' ? { NewLeaves: turn.newLeaves } : {}),
    ];
    const committed = await this.#commitOrFailTooLarge(instance, intake, event, timestamp, {
      events: persisted,
      consumed: intake.consumed,
      head: {
        ...head,
        status: closing.status,
        ...(closing.output !== undefined ? { output: closing.output } : {}),
        customStatus: keptCustomStatus,
        ...(failure ? { failure } : {}),
        lastUpdatedTime: timestamp,
      },
    });
    if (!committed || closing.status === 'Failed' || closing.status === 'Completed') return;
    this.#dispatch(instance, work, scheduled.children);
  }

  /** Step 2. */
  #episodeTimeMs(instance: LoadedInstance, inbound: readonly HistoryEvent[]): number {
    // Monotonic, and never before a timer that fires in it: the SDK's long timers loop forever otherwise.
    let nowMs = Math.max(this.#deps.clock.nowMs(), instance.lastEpisodeMs + 1);
    for (const item of inbound) {
      if (item.EventType === EventType.TimerFired && typeof item.FireAt === 'string') nowMs = Math.max(nowMs, Date.parse(item.FireAt));
    }
    return nowMs;
  }

  /** Nothing for the orchestrator to see: record suspend/resume and drop what was consumed, without a replay. */
  async #commitControlOnly(instance: LoadedInstance, intake: EpisodeIntake, controlEvents: HistoryEvent[], timestamp: string): Promise<void> {
    if (controlEvents.length === 0 && intake.consumed.length === 0) return;
    const head = instance.head;
    const status: RuntimeStatus = intake.suspended ? 'Suspended' : head.status === 'Suspended' ? 'Running' : head.status;
    await this.#deps.committer.commit(instance, { events: controlEvents, consumed: intake.consumed, head: { ...head, status, lastUpdatedTime: timestamp } });
  }

  /** Step 3: the events the orchestrator sees as new, and the follow-up work the ledger derives from them. */
  #openingEvents(instance: LoadedInstance, intake: EpisodeIntake, controlEvents: HistoryEvent[], event: NewEvent, now: Date): { events: HistoryEvent[]; work: ScheduledWork[] } {
    const head = instance.head;
    // The events that make the SDK allocate ids go first (see task-ledger.ts).
    const allocating = intake.inbound.filter((item) => instance.ledger.isAllocating(item, now));
    const ordered = [...allocating, ...intake.inbound.filter((item) => !allocating.includes(item))];
    const events: HistoryEvent[] = [event(EventType.OrchestratorStarted)];
    if (head.historyLength === 0) {
      events.push(
        event(EventType.ExecutionStarted, {
          Name: head.name,
          Input: head.input,
          OrchestrationInstance: { InstanceId: head.instanceId, ExecutionId: head.executionId },
          ...(head.parent ? { ParentInstance: { OrchestrationInstance: { InstanceId: head.parent.instanceId, ExecutionId: head.parent.executionId }, TaskScheduleId: head.parent.taskId } } : {}),
        }),
      );
    }
    events.push(...controlEvents);
    const work: ScheduledWork[] = [];
    // Stamped with the episode's time, when the history records them, not when they were raised or completed: an
    // event held while the instance was suspended, or a completion written first because it allocates ids, would
    // otherwise follow a later event, and a history must never go back in time.
    const recordedAt = now.toISOString();
    for (const item of ordered) {
      work.push(...instance.ledger.applyInbound(item, now));
      events.push({ ...item, EventId: -1, IsPlayed: false, Timestamp: recordedAt });
    }
    return { events, work };
  }

  /** Steps 4 and 5: replay the orchestrator over the history plus the new events and read what it yields. */
  async #replay(instance: LoadedInstance, newEvents: HistoryEvent[], now: Date): Promise<OrchestratorTurn> {
    const head = instance.head;
    const turn: OrchestratorTurn = { failure: undefined, output: undefined, customStatus: undefined, continueAsNew: undefined, newLeaves: [], work: [] };
    const handler = this.#deps.orchestrators.get(head.name);
    if (!handler) {
      turn.failure = { ErrorType: 'UnknownOrchestrator', ErrorMessage: `The app registers no orchestrator named '${head.name}'; it may have been renamed since this instance started.`, IsNonRetriable: true };
      return turn;
    }
    const outcome = await invokeOrchestrator(handler, {
      functionName: head.name,
      instanceId: head.instanceId,
      ...(head.parent ? { parentInstanceId: head.parent.instanceId } : {}),
      input: parseJsonText(head.input),
      history: [...instance.history, ...newEvents],
      log: this.#deps.log,
    });
    turn.customStatus = outcome.customStatus;
    if (outcome.kind === 'failed') {
      turn.failure = outcome.failure;
      return turn;
    }
    const read = readActions(outcome.actions);
    if (read.unsupported) {
      turn.failure = {
        ErrorType: 'UnsupportedAction',
        ErrorMessage: `Orchestrator '${head.name}' used ${read.unsupported.description} (action type ${read.unsupported.actionType}), which the local host does not support. Run this orchestration on Azure or with the Azure Functions Core Tools.`,
        IsNonRetriable: true,
      };
      return turn;
    }
    try {
      const decided = instance.ledger.applyActions(read, now, outcome.isDone);
      if (outcome.isDone && read.continueAsNew) turn.continueAsNew = read.continueAsNew;
      else if (outcome.isDone) turn.output = toJsonText(outcome.output);
      else {
        turn.work = decided.work;
        turn.newLeaves = decided.newLeaves;
      }
    } catch (error) {
      if (!(error instanceof NonDeterminismError)) throw error;
      turn.failure = { ErrorType: error.code, ErrorMessage: error.message, IsNonRetriable: true };
    }
    return turn;
  }

  /** An output or custom status too large to store fails the instance. */
  #oversizedResult(output: string | undefined, customStatusText: string | undefined): FailureDetails | undefined {
    const tooLarge = [output, customStatusText].find((text) => text !== undefined && text.length > MAX_VALUE_LENGTH);
    if (tooLarge === undefined) return undefined;
    return { ErrorType: 'ValueTooLarge', ErrorMessage: `The orchestration output or custom status is ${tooLarge.length} characters of JSON; the local host stores at most ${MAX_VALUE_LENGTH}.`, IsNonRetriable: true };
  }

  /** Step 6, first half: TaskScheduled / TimerCreated / SubOrchestrationInstanceCreated for the work (EventId = task id). */
  #schedulingEvents(head: InstanceHead, work: readonly ScheduledWork[], event: NewEvent): { events: HistoryEvent[]; children: ScheduledChild[]; failure: FailureDetails | undefined } {
    const events: HistoryEvent[] = [];
    const children: ScheduledChild[] = [];
    for (const item of work) {
      if (item.type === 'activity') {
        events.push(event(EventType.TaskScheduled, { Name: item.name, Input: toJsonText(item.input), Leaf: item.leaf }, item.id));
      } else if (item.type === 'timer') {
        events.push(event(EventType.TimerCreated, { FireAt: item.fireAt.toISOString(), Leaf: item.leaf }, item.id));
      } else {
        const childId = item.instanceId ?? defaultSubOrchestrationId(head.executionId, item.id);
        children.push({ work: item, instanceId: childId });
        events.push(event(EventType.SubOrchestrationInstanceCreated, { Name: item.name, InstanceId: childId, Input: toJsonText(item.input), Leaf: item.leaf }, item.id));
      }
    }
    const oversized = events.find((item) => typeof item.Input === 'string' && item.Input.length > MAX_VALUE_LENGTH);
    const failure: FailureDetails | undefined = oversized
      ? { ErrorType: 'ValueTooLarge', ErrorMessage: `The input of '${String(oversized.Name)}' is ${String((oversized.Input as string).length)} characters of JSON; the local host stores at most ${MAX_VALUE_LENGTH}.`, IsNonRetriable: true }
      : undefined;
    return { events, children, failure };
  }

  /** Step 6, second half: the status after this episode and ExecutionCompleted if the execution ended. */
  #closing(head: InstanceHead, suspended: boolean, failure: FailureDetails | undefined, output: string | undefined, event: NewEvent): { status: RuntimeStatus; output: string | undefined; events: HistoryEvent[] } {
    if (failure) {
      const failedOutput = toJsonText(`Orchestrator function '${head.name}' failed: ${failure.ErrorMessage}`);
      return { status: 'Failed', output: failedOutput, events: [event(EventType.ExecutionCompleted, { OrchestrationStatus: 'Failed', Result: failedOutput, FailureDetails: failure })] };
    }
    if (output !== undefined) return { status: 'Completed', output, events: [event(EventType.ExecutionCompleted, { OrchestrationStatus: 'Completed', Result: output })] };
    return { status: suspended ? 'Suspended' : 'Running', output, events: [] };
  }

  /** Commits the episode; one that can never be stored fails the instance instead. Returns whether the episode itself was committed. */
  async #commitOrFailTooLarge(
    instance: LoadedInstance,
    intake: EpisodeIntake,
    event: NewEvent,
    timestamp: string,
    episode: { events: HistoryEvent[]; consumed: string[]; head: InstanceHead },
  ): Promise<boolean> {
    const head = instance.head;
    try {
      await this.#deps.committer.commit(instance, episode);
      return true;
    } catch (error) {
      // Nothing was written (rows are packed before the first request): fail the instance instead of retrying
      // an episode that can never be stored.
      if (!(error instanceof ValueTooLargeError)) throw error;
      const tooLargeFailure: FailureDetails = { ErrorType: error.code, ErrorMessage: error.message, IsNonRetriable: true };
      const failedOutput = toJsonText(`Orchestrator function '${head.name}' failed: ${error.message}`);
      await this.#deps.committer.commit(instance, {
        events: [
          event(EventType.OrchestratorStarted),
          event(EventType.ExecutionCompleted, { OrchestrationStatus: 'Failed', Result: failedOutput, FailureDetails: tooLargeFailure }),
          event(EventType.OrchestratorCompleted),
        ],
        consumed: intake.consumed,
        head: { ...head, status: 'Failed', output: failedOutput, failure: tooLargeFailure, lastUpdatedTime: timestamp },
      });
      return false;
    }
  }

  /** After the commit: activities to the pool, timers armed, child instances created. */
  #dispatch(instance: LoadedInstance, work: readonly ScheduledWork[], children: readonly ScheduledChild[]): void {
    const head = instance.head;
    for (const item of work) {
      if (item.type === 'activity') this.#deps.enqueueActivity(instance, { instanceId: head.instanceId, executionId: head.executionId, id: item.id, name: item.name, input: item.input });
      else if (item.type === 'timer') this.#deps.armTimer(head.instanceId, head.executionId, item.id, item.fireAt.getTime());
    }
    for (const child of children) this.#deps.createChild(instance.head, child.work.id, child.work.name, child.work.input, child.instanceId);
  }
}
