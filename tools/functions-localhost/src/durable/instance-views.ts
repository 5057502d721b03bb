import type { InstanceFilter, InstanceStatus, StatusOptions } from './contract.js';
import { parseJsonText, type HistoryEvent } from './history.js';
import { historyView } from './history-view.js';
import type { InstanceHead } from './table-store.js';

/** How clients see an instance: its status (with the history view of history-view.ts), and index queries. */

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
    // As the extension: no history for an instance that has not started (Pending), however asked.
    ...(options.showHistory && history && head.status !== 'Pending'
      ? { history: historyView(history, { showHistoryOutput: options.showHistoryOutput === true, showInput: options.showInput !== false }) }
      : {}),
  };
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
