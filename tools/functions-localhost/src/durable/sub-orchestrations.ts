import type { EngineClock } from './engine-clock.js';
import { newExecutionId } from './execution-ids.js';
import { EventType, parseJsonText, toJsonText, type HistoryEvent } from './history.js';
import { TERMINAL } from './loaded-instance.js';
import { newMessageId, type DurableStore, type InboxMessage, type InstanceHead, type ParentLink } from './table-store.js';

/**
 * Sub-orchestrations: creating a child instance for a parent's task (idempotently, so recovery may ask again) and
 * telling the parent how a finished child ended.
 */

export interface SubOrchestrationsDependencies {
  readonly store: DurableStore;
  readonly clock: EngineClock;
  hasOrchestrator(name: string): boolean;
  /** The head of an instance the engine holds in memory. */
  loadedHead(instanceId: string): InstanceHead | undefined;
  /** Makes a message durable, then hands it to the instance. */
  send(instanceId: string, message: InboxMessage): Promise<void>;
  /** Writes a new instance and registers it with the engine. */
  createInstance(head: InstanceHead): Promise<void>;
}

export class SubOrchestrations {
  readonly #deps: SubOrchestrationsDependencies;

  constructor(deps: SubOrchestrationsDependencies) {
    this.#deps = deps;
  }

  async createChild(parentHead: InstanceHead, taskId: number, name: string, input: unknown, childId: string): Promise<void> {
    const link: ParentLink = { instanceId: parentHead.instanceId, executionId: parentHead.executionId, taskId };
    const fail = (message: string): Promise<void> =>
      this.#deps.send(link.instanceId, {
        id: newMessageId('sub', `${childId}.${taskId}`),
        kind: 'event',
        executionId: link.executionId,
        event: {
          EventType: EventType.SubOrchestrationInstanceFailed,
          EventId: -1,
          IsPlayed: false,
          Timestamp: this.#deps.clock.now().toISOString(),
          TaskScheduledId: taskId,
          Reason: message,
          Details: '',
          FailureDetails: { ErrorType: 'SubOrchestrationStartFailed', ErrorMessage: message, IsNonRetriable: true },
        },
      });
    if (!this.#deps.hasOrchestrator(name)) return fail(`The app registers no orchestrator named '${name}'.`);
    const existing = this.#deps.loadedHead(childId) ?? (await this.#deps.store.readHead(childId));
    if (existing) {
      const sameParent = existing.parent?.instanceId === link.instanceId && existing.parent.executionId === link.executionId && existing.parent.taskId === taskId;
      if (sameParent) {
        // Created before a crash: if it already finished, the parent may not have heard.
        if (TERMINAL.has(existing.status)) await this.notifyParent(existing);
        return;
      }
      if (!TERMINAL.has(existing.status)) return fail(`An instance with id '${childId}' is already running.`);
      await this.#deps.store.deletePartition(childId);
    }
    const now = this.#deps.clock.now().toISOString();
    await this.#deps.createInstance({
      instanceId: childId,
      name,
      executionId: newExecutionId(),
      status: 'Pending',
      input: toJsonText(input),
      createdTime: now,
      lastUpdatedTime: now,
      historyLength: 0,
      parent: link,
    });
  }

  async notifyParent(child: InstanceHead): Promise<void> {
    const parent = child.parent;
    if (!parent) return;
    const common = { EventId: -1, IsPlayed: false, Timestamp: this.#deps.clock.now().toISOString(), TaskScheduledId: parent.taskId };
    const event: HistoryEvent =
      child.status === 'Completed'
        ? { ...common, EventType: EventType.SubOrchestrationInstanceCompleted, Result: child.output ?? 'null' }
        : {
            ...common,
            EventType: EventType.SubOrchestrationInstanceFailed,
            Reason: child.failure?.ErrorMessage ?? `Sub-orchestration '${child.instanceId}' was ${child.status}.`,
            Details: child.failure?.StackTrace ?? '',
            FailureDetails: child.failure ?? {
              ErrorType: `SubOrchestration${child.status}`,
              ErrorMessage: `Sub-orchestration '${child.instanceId}' was ${child.status}: ${String(parseJsonText(child.output ?? 'null'))}`,
              IsNonRetriable: true,
            },
          };
    await this.#deps.send(parent.instanceId, { id: newMessageId('sub', `${child.instanceId}.${child.executionId}`), kind: 'event', executionId: parent.executionId, event });
  }
}
