import { randomUUID } from 'node:crypto';

/**
 * Ids the engine assigns the way the Durable Task Framework under the extension does, so that ids an app sees or
 * logs locally have the shape they have in Azure.
 */

/** A new execution id: a GUID without dashes (DTFx's Guid.NewGuid().ToString("N")), one per execution. */
export function newExecutionId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * The instance id of a sub-orchestration started without one: DTFx's TaskOrchestrationContext
 * (CreateSubOrchestrationInstanceCore) uses `<parent's execution id>:<task id>`; the extension's
 * DurableOrchestrationContext passes the app's null id through to it, and durable-functions sends none. Being tied
 * to the execution, each continueAsNew generation gets new child ids.
 */
export function defaultSubOrchestrationId(parentExecutionId: string, taskId: number): string {
  return `${parentExecutionId}:${taskId}`;
}
