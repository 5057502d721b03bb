import { TableClient, odata, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { RuntimeStatus } from './contract.js';
import { approximateSize, packText, unpackText } from './chunked-text.js';
import type { FailureDetails, HistoryEvent } from './history.js';
import { HEAD_ROW_KEY, INDEX_PARTITION, decodeKey, encodeKey, historyRowKey, messageRowKey, tableNamesFor } from './table-keys.js';

/**
 * Persistence of the engine in Azure Table Storage (Azurite or a real account).
 *
 * `<hub>History`: one partition per instance (PartitionKey = instance id) holding
 *   - `head`: the instance's state and the commit point of every episode (executionId, historyLength, status...),
 *   - `h:<executionId>:<seq>`: history events of the current execution (rows at seq >= historyLength are leftovers
 *     of an episode that crashed before its head was written and are overwritten by the next one),
 *   - `m:<messageId>`: inbox messages (completions, external events, control requests) not yet in the history.
 *   Keeping all three in one partition lets an episode of up to ~100 rows commit in a single transaction.
 * `<hub>Instances`: one row per instance in one partition, an index for queries and recovery.
 */

export interface ParentLink {
  readonly instanceId: string;
  readonly executionId: string;
  readonly taskId: number;
}

export interface InstanceHead {
  readonly instanceId: string;
  readonly name: string;
  readonly executionId: string;
  readonly status: RuntimeStatus;
  /** JSON text. */
  readonly input: string;
  readonly output?: string;
  readonly customStatus?: string;
  readonly failure?: FailureDetails;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly historyLength: number;
  readonly parent?: ParentLink;
}

export type InboxMessage =
  | { readonly id: string; readonly kind: 'event'; readonly event: HistoryEvent; readonly executionId?: string; readonly forExecution?: string }
  | { readonly id: string; readonly kind: 'terminate' | 'suspend' | 'resume'; readonly reason?: string };

export interface LoadedPartition {
  readonly head?: InstanceHead;
  /** Committed history of the head's execution, in order. */
  readonly history: HistoryEvent[];
  readonly messages: InboxMessage[];
  /** Row keys of other executions' history (garbage after continueAsNew). */
  readonly staleRowKeys: string[];
}

export interface EpisodeCommit {
  readonly head: InstanceHead;
  /** History sequence number of the first new event. */
  readonly fromSequence: number;
  readonly newEvents: readonly HistoryEvent[];
  readonly consumedMessageIds: readonly string[];
  readonly newMessages?: readonly InboxMessage[];
}

export interface IndexRow {
  readonly instanceId: string;
  readonly name: string;
  readonly status: RuntimeStatus;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
}

const MAX_BATCH_OPERATIONS = 100;
const MAX_BATCH_BYTES = 3_500_000;

type Operation = TransactionAction;

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: unknown }).statusCode === 404;
}

/** Splits operations of one partition into transactions within the count and size limits. */
function toTransactions(operations: readonly Operation[]): Operation[][] {
  const batches: Operation[][] = [];
  let current: Operation[] = [];
  let bytes = 0;
  for (const operation of operations) {
    const size = approximateSize(operation[1]);
    if (current.length > 0 && (current.length >= MAX_BATCH_OPERATIONS || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(operation);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

interface PendingWrite {
  operation: Operation;
  readonly settle: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * Coalesces writes that arrive together (activity completions of a fan-out, index updates) into transactions per
 * partition. Writes to one partition go out one transaction at a time, in order; the last write to a row wins.
 */
class PartitionBatcher {
  readonly #pending = new Map<string, Map<string, PendingWrite>>();
  readonly #busy = new Set<string>();
  #inFlight = 0;

  constructor(private readonly client: TableClient) {}

  get inFlight(): number {
    return this.#inFlight;
  }

  enqueue(operation: Operation): Promise<void> {
    const entity = operation[1] as { partitionKey: string; rowKey: string };
    return new Promise<void>((resolve, reject) => {
      let partition = this.#pending.get(entity.partitionKey);
      if (!partition) {
        partition = new Map<string, PendingWrite>();
        this.#pending.set(entity.partitionKey, partition);
      }
      const existing = partition.get(entity.rowKey);
      if (existing) {
        existing.operation = operation;
        existing.settle.push({ resolve, reject });
      } else {
        partition.set(entity.rowKey, { operation, settle: [{ resolve, reject }] });
      }
      this.#inFlight += 1;
      if (!this.#busy.has(entity.partitionKey)) {
        this.#busy.add(entity.partitionKey);
        setImmediate(() => void this.#drain(entity.partitionKey));
      }
    });
  }

  async #drain(partitionKey: string): Promise<void> {
    for (;;) {
      const partition = this.#pending.get(partitionKey);
      if (!partition || partition.size === 0) break;
      const items = [...partition.values()];
      this.#pending.delete(partitionKey);
      for (const batch of toTransactions(items.map((item) => item.operation))) {
        const members = items.splice(0, batch.length);
        const settles = members.flatMap((member) => member.settle);
        try {
          await submit(this.client, batch);
          settles.forEach((settle) => settle.resolve());
        } catch (error) {
          settles.forEach((settle) => settle.reject(error));
        } finally {
          this.#inFlight -= settles.length;
        }
      }
    }
    this.#busy.delete(partitionKey);
  }
}

async function submit(client: TableClient, batch: Operation[]): Promise<void> {
  if (batch.length === 1) {
    const [kind, entity] = batch[0]!;
    if (kind === 'delete') {
      await client.deleteEntity(entity.partitionKey, entity.rowKey).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    } else {
      await client.upsertEntity(entity, 'Replace');
    }
    return;
  }
  try {
    await client.submitTransaction(batch);
  } catch (error) {
    // A delete of a row that is already gone fails the whole transaction; replay it row by row.
    if (!isNotFound(error)) throw error;
    for (const operation of batch) await submit(client, [operation]);
  }
}

export class DurableStore {
  readonly history: TableClient;
  readonly instances: TableClient;
  readonly #historyBatcher: PartitionBatcher;
  readonly #indexBatcher: PartitionBatcher;

  constructor(connectionString: string, taskHubName: string) {
    const names = tableNamesFor(taskHubName);
    const options = { allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\//i.test(connectionString) };
    this.history = TableClient.fromConnectionString(connectionString, names.history, options);
    this.instances = TableClient.fromConnectionString(connectionString, names.instances, options);
    this.#historyBatcher = new PartitionBatcher(this.history);
    this.#indexBatcher = new PartitionBatcher(this.instances);
  }

  /** Writes not yet acknowledged by storage (the engine is not idle while any are). */
  get writesInFlight(): number {
    return this.#historyBatcher.inFlight + this.#indexBatcher.inFlight;
  }

  async createTables(): Promise<void> {
    await Promise.all([this.history.createTable(), this.instances.createTable()]);
  }

  async loadPartition(instanceId: string): Promise<LoadedPartition> {
    const rows: (Record<string, unknown> & { rowKey: string })[] = [];
    const entities = this.history.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${encodeKey(instanceId)}` } });
    for await (const entity of entities) rows.push({ ...entity, rowKey: entity.rowKey ?? '' });
    const headRow = rows.find((row) => row.rowKey === HEAD_ROW_KEY);
    const head = headRow ? headFromRow(headRow) : undefined;
    const history: HistoryEvent[] = [];
    const messages: InboxMessage[] = [];
    const staleRowKeys: string[] = [];
    const ownPrefix = head ? `h:${head.executionId}:` : undefined;
    for (const row of rows) {
      if (row.rowKey.startsWith('m:')) {
        messages.push(JSON.parse(unpackText(row, 'e') ?? '{}') as InboxMessage);
      } else if (row.rowKey.startsWith('h:')) {
        if (ownPrefix && row.rowKey.startsWith(ownPrefix)) {
          const sequence = Number(row.rowKey.slice(ownPrefix.length));
          if (sequence < (head?.historyLength ?? 0)) history[sequence] = JSON.parse(unpackText(row, 'e') ?? '{}') as HistoryEvent;
        } else {
          staleRowKeys.push(row.rowKey);
        }
      }
    }
    // Table queries return rows in key order, so messages come back sorted by id: restore arrival order.
    messages.sort((a, b) => arrivalOf(a) - arrivalOf(b));
    return { head, history: history.filter((event) => event !== undefined), messages, staleRowKeys };
  }

  async readHead(instanceId: string): Promise<InstanceHead | undefined> {
    try {
      return headFromRow(await this.history.getEntity<Record<string, unknown>>(encodeKey(instanceId), HEAD_ROW_KEY));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Commits an episode: history rows first, then the head (the commit point) together with as many message
   * deletions as fit, then the remaining deletions. A crash before the head leaves the previous state intact.
   */
  async commitEpisode(commit: EpisodeCommit): Promise<void> {
    const partitionKey = encodeKey(commit.head.instanceId);
    const before: Operation[] = commit.newEvents.map((event, offset) => [
      'upsert',
      { partitionKey, rowKey: historyRowKey(commit.head.executionId, commit.fromSequence + offset), ...packText('e', JSON.stringify(event), 'A history event') },
      'Replace',
    ]);
    for (const message of commit.newMessages ?? []) before.push(['upsert', messageEntity(partitionKey, message), 'Replace']);
    const headOperation: Operation = ['upsert', headToRow(commit.head), 'Replace'];
    const deletions: Operation[] = commit.consumedMessageIds.map((id) => ['delete', { partitionKey, rowKey: messageRowKey(id) }]);

    const batches = toTransactions([...before, headOperation]);
    const last = batches.pop()!;
    for (const batch of batches) await submit(this.history, batch);
    const room = Math.max(0, MAX_BATCH_OPERATIONS - last.length);
    await submit(this.history, [...last, ...deletions.slice(0, room)]);
    for (const batch of toTransactions(deletions.slice(room))) await submit(this.history, batch);
  }

  /** Durable before it resolves; concurrent messages to one instance share transactions. */
  writeMessage(instanceId: string, message: InboxMessage): Promise<void> {
    return this.#historyBatcher.enqueue(['upsert', messageEntity(encodeKey(instanceId), message), 'Replace']);
  }

  async writeHead(head: InstanceHead): Promise<void> {
    await this.history.upsertEntity(headToRow(head), 'Replace');
  }

  async writeIndexNow(row: IndexRow): Promise<void> {
    await this.instances.upsertEntity(indexEntity(row), 'Replace');
  }

  writeIndex(row: IndexRow): Promise<void> {
    return this.#indexBatcher.enqueue(['upsert', indexEntity(row), 'Replace']);
  }

  async deleteIndex(instanceId: string): Promise<void> {
    await this.instances.deleteEntity(INDEX_PARTITION, encodeKey(instanceId)).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }

  async deleteRows(instanceId: string, rowKeys: readonly string[]): Promise<void> {
    const partitionKey = encodeKey(instanceId);
    for (const batch of toTransactions(rowKeys.map((rowKey): Operation => ['delete', { partitionKey, rowKey }]))) await submit(this.history, batch);
  }

  /** Deletes every row of an instance (history, messages, head) and its index row. */
  async deletePartition(instanceId: string): Promise<void> {
    const keys: string[] = [];
    const entities = this.history.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${encodeKey(instanceId)}`, select: ['RowKey'] } });
    for await (const entity of entities) keys.push(entity.rowKey!);
    // The head goes last: a crash midway leaves a findable instance, never orphaned rows without one.
    keys.sort((a, b) => (a === HEAD_ROW_KEY ? 1 : b === HEAD_ROW_KEY ? -1 : 0));
    await this.deleteRows(instanceId, keys);
    await this.deleteIndex(instanceId);
  }

  /** One page of index rows matching the filter (OData on status, creation time and id prefix). */
  async queryIndex(filter: string, pageSize: number, continuationToken: string | undefined): Promise<{ rows: IndexRow[]; continuationToken?: string }> {
    const pages = this.instances
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: pageSize, ...(continuationToken ? { continuationToken } : {}) });
    const next = await pages.next();
    if (next.done) return { rows: [] };
    const page = next.value;
    return { rows: page.map(indexFromEntity), ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
  }

  async *allIndexRows(filter: string): AsyncGenerator<IndexRow> {
    for await (const entity of this.instances.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) yield indexFromEntity(entity);
  }
}

let arrivalCounter = 0;
/** Message ids carry an arrival stamp so a reload restores arrival order (see newMessageId). */
export function newMessageId(kind: string, unique: string): string {
  arrivalCounter = (arrivalCounter + 1) % 1_000_000;
  return `${kind}|${Date.now().toString(36)}.${String(arrivalCounter).padStart(6, '0')}|${unique}`;
}

function arrivalOf(message: InboxMessage): number {
  const match = /\|([0-9a-z]+)\.(\d{6})\|/.exec(message.id);
  return match ? parseInt(match[1]!, 36) * 1_000_000 + Number(match[2]) : 0;
}

function messageEntity(partitionKey: string, message: InboxMessage): TableEntity<Record<string, unknown>> {
  return { partitionKey, rowKey: messageRowKey(message.id), ...packText('e', JSON.stringify(message), 'A message') };
}

function headToRow(head: InstanceHead): TableEntity<Record<string, unknown>> {
  return {
    partitionKey: encodeKey(head.instanceId),
    rowKey: HEAD_ROW_KEY,
    instanceId: head.instanceId,
    name: head.name,
    executionId: head.executionId,
    status: head.status,
    createdTime: head.createdTime,
    lastUpdatedTime: head.lastUpdatedTime,
    historyLength: head.historyLength,
    ...(head.parent ? { parent: JSON.stringify(head.parent) } : {}),
    ...(head.failure ? packText('fd', JSON.stringify(head.failure), 'Failure details') : {}),
    ...packText('in', head.input, 'The orchestration input'),
    ...(head.output !== undefined ? packText('out', head.output, 'The orchestration output') : {}),
    ...(head.customStatus !== undefined ? packText('cs', head.customStatus, 'The custom status') : {}),
  };
}

function headFromRow(row: Readonly<Record<string, unknown>>): InstanceHead {
  const text = (key: string): string => (typeof row[key] === 'string' ? (row[key]) : '');
  const output = unpackText(row, 'out');
  const customStatus = unpackText(row, 'cs');
  const failure = unpackText(row, 'fd');
  return {
    instanceId: text('instanceId') || decodeKey(text('partitionKey')),
    name: text('name'),
    executionId: text('executionId'),
    status: text('status') as RuntimeStatus,
    input: unpackText(row, 'in') ?? 'null',
    ...(output !== undefined ? { output } : {}),
    ...(customStatus !== undefined ? { customStatus } : {}),
    ...(failure !== undefined ? { failure: JSON.parse(failure) as FailureDetails } : {}),
    createdTime: text('createdTime'),
    lastUpdatedTime: text('lastUpdatedTime'),
    historyLength: typeof row.historyLength === 'number' ? row.historyLength : 0,
    ...(typeof row.parent === 'string' ? { parent: JSON.parse(row.parent) as ParentLink } : {}),
  };
}

function indexEntity(row: IndexRow): TableEntity<Record<string, unknown>> {
  return {
    partitionKey: INDEX_PARTITION,
    rowKey: encodeKey(row.instanceId),
    instanceId: row.instanceId,
    name: row.name,
    status: row.status,
    createdTime: new Date(row.createdTime),
    lastUpdatedTime: row.lastUpdatedTime,
  };
}

function indexFromEntity(entity: Readonly<Record<string, unknown>>): IndexRow {
  const created = entity.createdTime;
  return {
    instanceId: typeof entity.instanceId === 'string' ? entity.instanceId : decodeKey(String(entity.rowKey)),
    name: String(entity.name),
    status: String(entity.status) as RuntimeStatus,
    createdTime: created instanceof Date ? created.toISOString() : String(created),
    lastUpdatedTime: String(entity.lastUpdatedTime),
  };
}
