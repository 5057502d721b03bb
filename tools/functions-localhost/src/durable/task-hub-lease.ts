import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { TableClient } from '@azure/data-tables';

/**
 * Ownership of a task hub. Two engines on one hub would both recover and run the same instances (activities run
 * twice, episodes race on the head row), so an engine holds a lease row in the hub's Instances table while it runs:
 * owner = host name + pid + a random token, an expiry renewed well before it passes. Another engine refuses to
 * start while the lease is held, except that an owner on this machine whose process is gone (killed, crashed) is
 * taken over at once, so a restart after SIGKILL is not delayed by the expiry. tools/functions-localhost/docs/durable-engine.md, "Ownership".
 */

export const LEASE_PARTITION = 'lease';
export const LEASE_ROW_KEY = 'owner';

export interface TaskHubLeaseOptions {
  /** How long a lease lasts without renewal. Default 30 s. */
  readonly durationMs?: number;
  /** How often the owner renews it. Default 10 s. */
  readonly renewEveryMs?: number;
}

/** Who holds a lease, as stored in the lease row. */
export interface LeaseHolder {
  /** `<host>:<pid>:<token>`. */
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
  readonly expiresAt: string;
}

/** Another live engine owns the task hub. Retrying helps once that engine stops or its lease expires. */
export class TaskHubOwnedError extends Error {
  readonly code = 'TaskHubOwned';
  readonly retryable = true;

  constructor(
    readonly taskHubName: string,
    readonly holder: LeaseHolder,
  ) {
    super(
      `Task hub '${taskHubName}' is owned by another durable engine (${holder.owner}); its lease expires at ${holder.expiresAt}. ` +
        `Stop that engine, wait for the lease to expire, or use another task hub (hubName in host.json).`,
    );
    this.name = 'TaskHubOwnedError';
  }
}

function statusCodeOf(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === 'number' ? code : undefined;
}

/** Whether a process with this pid runs on this machine (EPERM: it exists but belongs to another user). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class TaskHubLease {
  readonly owner: string;
  readonly #client: TableClient;
  readonly #taskHubName: string;
  readonly #durationMs: number;
  readonly #renewEveryMs: number;
  readonly #onLost: (reason: string) => void;
  #etag: string | undefined;
  #renewal: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;

  constructor(client: TableClient, taskHubName: string, options: TaskHubLeaseOptions, onLost: (reason: string) => void) {
    this.#client = client;
    this.#taskHubName = taskHubName;
    this.#durationMs = options.durationMs ?? 30_000;
    this.#renewEveryMs = options.renewEveryMs ?? 10_000;
    this.#onLost = onLost;
    this.owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  get held(): boolean {
    return this.#etag !== undefined;
  }

  /** Takes the lease or throws TaskHubOwnedError naming the holder. The table must exist. */
  async acquire(): Promise<void> {
    // A few rounds: another engine may create, renew or release the row between our read and our write.
    for (let round = 0; round < 5; round++) {
      let current: (LeaseHolder & { etag: string }) | undefined;
      try {
        const row = await this.#client.getEntity<Record<string, unknown>>(LEASE_PARTITION, LEASE_ROW_KEY);
        current = { owner: String(row.owner), host: String(row.host), pid: Number(row.pid), expiresAt: String(row.expiresAt), etag: row.etag };
      } catch (error) {
        if (statusCodeOf(error) !== 404) throw error;
      }
      try {
        if (!current) {
          this.#etag = (await this.#client.createEntity(this.#row())).etag;
        } else {
          const expired = Date.parse(current.expiresAt) <= Date.now();
          const deadOnThisMachine = current.host === hostname() && !processAlive(current.pid);
          if (current.owner !== this.owner && !expired && !deadOnThisMachine) throw new TaskHubOwnedError(this.#taskHubName, current);
          this.#etag = (await this.#client.updateEntity(this.#row(), 'Replace', { etag: current.etag })).etag;
        }
      } catch (error) {
        const status = statusCodeOf(error);
        if (status === 409 || status === 412 || status === 404) continue; // lost a race: look again
        throw error;
      }
      this.#renewal = setInterval(() => void this.#renew(), this.#renewEveryMs);
      // The lease must not keep a process alive that has nothing else to do.
      this.#renewal.unref();
      return;
    }
    throw new Error(`Could not take the lease of task hub '${this.#taskHubName}': it kept changing hands.`);
  }

  /** Gives the lease up so the next engine starts at once. */
  async release(): Promise<void> {
    clearInterval(this.#renewal);
    this.#renewal = undefined;
    await this.#renewing;
    const etag = this.#etag;
    this.#etag = undefined;
    if (etag === undefined) return;
    try {
      await this.#client.deleteEntity(LEASE_PARTITION, LEASE_ROW_KEY, { etag });
    } catch (error) {
      // 404/412: someone else holds it now; nothing of ours to release.
      const status = statusCodeOf(error);
      if (status !== 404 && status !== 412) throw error;
    }
  }

  #row(): Record<string, unknown> & { partitionKey: string; rowKey: string } {
    return {
      partitionKey: LEASE_PARTITION,
      rowKey: LEASE_ROW_KEY,
      owner: this.owner,
      host: hostname(),
      pid: process.pid,
      expiresAt: new Date(Date.now() + this.#durationMs).toISOString(),
    };
  }

  async #renew(): Promise<void> {
    if (this.#etag === undefined || this.#renewing) return;
    const renewing = (async () => {
      try {
        this.#etag = (await this.#client.updateEntity(this.#row(), 'Replace', { etag: this.#etag })).etag;
      } catch (error) {
        const status = statusCodeOf(error);
        if (status !== 404 && status !== 412) return; // storage unavailable: try again at the next interval
        clearInterval(this.#renewal);
        this.#renewal = undefined;
        this.#etag = undefined;
        this.#onLost(`the lease of task hub '${this.#taskHubName}' was taken over by another engine (ours had expired or was deleted)`);
      }
    })();
    this.#renewing = renewing;
    await renewing;
    this.#renewing = undefined;
  }
}
