import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TableClient, RestError } from '@azure/data-tables';
import { LocalHostError } from './errors.js';

/**
 * Where timer schedule status survives a restart, as the Functions host's schedule monitor keeps it: per timer,
 * the last run, the next expected occurrence and when that was written. With it a restarted host sees that an
 * occurrence passed while it was down (a past-due run) and reports the previous run as `last`.
 * Table Storage when the host has a storage connection; otherwise memory, lost with the host.
 */
export interface TimerScheduleStatus {
  /** ISO instants. */
  readonly last: string;
  readonly next: string;
  readonly lastUpdated: string;
}

export interface TimerStatusStore {
  /** Creates what it needs (the table); the host calls it once before timers start. */
  open(): Promise<void>;
  get(timerName: string): Promise<TimerScheduleStatus | undefined>;
  set(timerName: string, status: TimerScheduleStatus): Promise<void>;
}

export class MemoryTimerStatusStore implements TimerStatusStore {
  readonly #statuses = new Map<string, TimerScheduleStatus>();
  open(): Promise<void> {
    return Promise.resolve();
  }
  get(timerName: string): Promise<TimerScheduleStatus | undefined> {
    return Promise.resolve(this.#statuses.get(timerName.toLowerCase()));
  }
  set(timerName: string, status: TimerScheduleStatus): Promise<void> {
    this.#statuses.set(timerName.toLowerCase(), status);
    return Promise.resolve();
  }
}

/** The table every local host shares; rows are keyed by host id (the app) and timer name. */
export const TIMER_STATUS_TABLE = 'LocalHostTimers';

interface TimerStatusEntity {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly last: string;
  readonly next: string;
  readonly lastUpdated: string;
}

export class TableTimerStatusStore implements TimerStatusStore {
  readonly #table: TableClient;
  readonly #hostId: string;

  /** `hostId` tells apps sharing one storage account apart (the real host's host id plays this part). */
  constructor(connectionString: string, hostId: string) {
    this.#table = TableClient.fromConnectionString(connectionString, TIMER_STATUS_TABLE, { allowInsecureConnection: true });
    this.#hostId = tableKey(hostId);
  }

  async open(): Promise<void> {
    try {
      await this.#table.createTable();
    } catch (error) {
      throw new LocalHostError(
        'StorageUnavailable',
        `The timer schedule status table '${TIMER_STATUS_TABLE}' could not be created (${(error as Error).message}); check the storage connection (--storage or AzureWebJobsStorage) and that the storage emulator is running.`,
        true,
        { cause: error },
      );
    }
  }

  async get(timerName: string): Promise<TimerScheduleStatus | undefined> {
    try {
      const entity = await this.#table.getEntity<TimerStatusEntity>(this.#hostId, tableKey(timerName));
      return { last: entity.last, next: entity.next, lastUpdated: entity.lastUpdated };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  async set(timerName: string, status: TimerScheduleStatus): Promise<void> {
    const entity: TimerStatusEntity = { partitionKey: this.#hostId, rowKey: tableKey(timerName), ...status };
    await this.#table.upsertEntity(entity, 'Replace');
  }
}

/**
 * Which app the rows belong to, stable across restarts: the AzureFunctionsWebHost__hostid setting as in the real
 * host, else the app's package.json name, else its folder name.
 */
export function timerHostId(appDir: string): string {
  const configured = process.env['AzureFunctionsWebHost__hostid'];
  if (configured) return configured;
  try {
    const name = (JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { name?: unknown }).name;
    if (typeof name === 'string' && name) return name;
  } catch {
    // No readable package.json: the folder name still tells apps apart.
  }
  return basename(appDir);
}

/** Table keys may not hold / \ # ? or control characters; function names are case-insensitive. */
function tableKey(text: string): string {
  return [...text.toLowerCase()].map((c) => (/[/\\#?]/.test(c) || c.charCodeAt(0) < 32 || (c.charCodeAt(0) >= 127 && c.charCodeAt(0) < 160) ? '_' : c)).join('');
}
