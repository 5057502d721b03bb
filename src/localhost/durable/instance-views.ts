import type { HistoryEntry, InstanceFilter, InstanceStatus, StatusOptions } from './contract.js';
import { EventType, eventTypeName, parseJsonText, type HistoryEvent } from './history.js';
import type { InstanceHead } from './table-store.js';

/** How clients see an instance: its status, its history as the Durable HTTP API shows it, and index queries. */

/** Fields the engine keeps for itself (replay bookkeeping), never shown to clients. */
const HOST_ONLY_FIELDS = new Set(['IsPlayed', 'Leaf', 'NewLeaves', 'MessageId']);
const OUTPUT_FIELDS = new Set(['Result', 'Input']);

export function statusOf(head: InstanceHead, options: StatusOptions, history: readonly HistoryEvent[] | undefined): InstanceStatus {
  return {
    name: head.name,
    instanceId: head.instanceId,
    runtimeStatus: head.status,
    input: options.showInput === false ? null : (parseJsonText(head.input) ?? null),
    output: head.output === undefined ? null : (parseJsonText(head.output) ?? null),
    customStatus: head.customStatus === undefined ? null : (parseJsonText(head.customStatus) ?? null),
    createdTime: head.createdTime,
    lastUpdatedTime: head.lastUpdatedTime,
    ...(options.showHistory && history ? { history: historyEntries(history, options.showHistoryOutput === true) } : {}),
  };
}

/** The Durable HTTP API's view: EventType names, no OrchestratorStarted/Completed, outputs only on request. */
export function historyEntries(history: readonly HistoryEvent[], showOutput: boolean): HistoryEntry[] {
  return history
    .filter((item) => item.EventType !== EventType.OrchestratorStarted && item.EventType !== EventType.OrchestratorCompleted)
    .map((item) => {
      const entry: Record<string, unknown> = { EventType: eventTypeName(item.EventType) };
      for (const [key, value] of Object.entries(item)) {
        if (key === 'EventType' || HOST_ONLY_FIELDS.has(key)) continue;
        if (!showOutput && OUTPUT_FIELDS.has(key)) continue;
        entry[key] = showOutput && OUTPUT_FIELDS.has(key) ? parseJsonText(value) : value;
      }
      return entry as unknown as HistoryEntry;
    });
}

/** The OData filter over the Instances index table that selects the instances `filter` describes. */
export function indexFilter(filter: InstanceFilter): string {
  const clauses = [`PartitionKey eq 'i'`];
  if (filter.runtimeStatus && filter.runtimeStatus.length > 0) clauses.push(`(${filter.runtimeStatus.map((status) => `status eq '${status}'`).join(' or ')})`);
  if (filter.createdTimeFrom) clauses.push(`createdTime ge datetime'${filter.createdTimeFrom.toISOString()}'`);
  if (filter.createdTimeTo) clauses.push(`createdTime le datetime'${filter.createdTimeTo.toISOString()}'`);
  if (filter.instanceIdPrefix) {
    const prefix = filter.instanceIdPrefix.replace(/'/g, "''");
    const last = prefix.charCodeAt(prefix.length - 1);
    clauses.push(`RowKey ge '${prefix}' and RowKey lt '${prefix.slice(0, -1)}${String.fromCharCode(last + 1)}'`);
  }
  return clauses.join(' and ');
}
