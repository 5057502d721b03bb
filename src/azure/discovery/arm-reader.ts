import { setTimeout as sleep } from 'node:timers/promises';
import type { MigratorError } from '../../domain/errors.js';
import { ArmResourceNotFoundError } from '../arm-errors.js';
import { toArmError } from '../to-arm-error.js';
import { createConcurrencyLimiter, type ConcurrencyLimiter } from './concurrency-limiter.js';
import { DiscoveryAbortedError } from './discovery-errors.js';

/** What every SDK call made through the reader receives: the signal that ends it when discovery stops. */
export interface ArmCallOptions {
  readonly abortSignal: AbortSignal;
}

/** The part of the SDKs' paged iterators the reader uses (both SDK generations have it). */
export interface PagedList<T> {
  byPage(): AsyncIterableIterator<T[]>;
}

export interface ArmRequestCounts {
  /** GET requests, one per page of a list. SDK retries of a throttled request are not counted again. */
  readonly armReads: number;
  /** POST actions (ARM counts them against the subscription's write bucket). */
  readonly armPosts: number;
  /** Reads tried again after a retryable failure the SDK's own retries did not get past. */
  readonly retries: number;
}

/** How many requests discovery keeps in flight: per subscription (ARM throttles per subscription) and in all. */
export interface ReaderLimits {
  readonly perSubscription: number;
  readonly total: number;
  /** The wait before a read's first retry, doubling after (default 0.5 s); tests shorten it. */
  readonly firstRetryDelayInMs?: number;
}

/** Tries of one read when ARM answers with a retryable failure after the SDK's own retries. */
export const READ_ATTEMPTS = 4;
const FIRST_RETRY_DELAY_IN_MS = 500;
const MAX_RETRY_DELAY_IN_MS = 30_000;

/** The reads of one subscription; every request waits for a slot of that subscription's limiter and of the total's. */
export interface SubscriptionReader {
  /** One GET. */
  get<T>(operation: string, call: (options: ArmCallOptions) => Promise<T>): Promise<T>;
  /** One GET whose 404 is an answer (undefined), not a failure. */
  getIfExists<T>(operation: string, call: (options: ArmCallOptions) => Promise<T>): Promise<T | undefined>;
  /** One POST action. */
  post<T>(operation: string, call: (options: ArmCallOptions) => Promise<T>): Promise<T>;
  /** Every item of a paged list; each page is one request through the limiters. */
  list<T>(operation: string, open: (options: ArmCallOptions) => PagedList<T>): Promise<T[]>;
}

/**
 * The one way discovery talks to ARM: each request waits for a slot of its subscription's limiter (ARM's read
 * bucket is per subscription, so ten subscriptions can be read ten times as fast as one) and of a total limiter
 * (sockets and memory), is counted, gets the discovery's abort signal, and a failure becomes a MigratorError naming
 * what was being read (toArmError). The SDK retries throttling (429 with Retry-After) and transient answers itself;
 * a read still failing with a retryable error is tried again here, up to READ_ATTEMPTS in all with a growing wait
 * (Retry-After when ARM gave one), so one unlucky request under a fault storm does not throw away a discovery of
 * thousands of reads. A failed page of a list restarts that list (a paged iterator cannot resume after a failure).
 * The first failure that stays cancels every request still in flight or queued, so one broken read stops the
 * fleet's reads at once instead of letting hundreds more run into the same problem; that failure is what discovery
 * throws.
 */
export class ArmReader {
  readonly signal: AbortSignal;
  private readonly stop = new AbortController();
  private readonly total: ConcurrencyLimiter;
  private readonly subscriptions = new Map<string, SubscriptionReader>();
  private reads = 0;
  private posts = 0;
  private retried = 0;
  private failure: MigratorError | undefined;

  constructor(
    private readonly limits: ReaderLimits,
    private readonly external: AbortSignal | undefined,
  ) {
    this.total = createConcurrencyLimiter(limits.total);
    this.signal = external === undefined ? this.stop.signal : AbortSignal.any([external, this.stop.signal]);
  }

  get counts(): ArmRequestCounts {
    return { armReads: this.reads, armPosts: this.posts, retries: this.retried };
  }

  /** The failure that stopped discovery, if one did. */
  get firstFailure(): MigratorError | undefined {
    return this.failure;
  }

  /** The reads of one subscription (one limiter per subscription, whatever the id's case). */
  in(subscriptionId: string): SubscriptionReader {
    const key = subscriptionId.toLowerCase();
    const existing = this.subscriptions.get(key);
    if (existing !== undefined) return existing;
    const own = createConcurrencyLimiter(this.limits.perSubscription);
    const slot = <T>(task: () => Promise<T>): Promise<T> => own.run(() => this.total.run(task));
    const reader: SubscriptionReader = {
      get: (operation, call) => this.withRetries(operation, () => this.request(slot, operation, 'read', call)),
      getIfExists: (operation, call) => this.withRetries(operation, () => this.request(slot, operation, 'read', call).catch(notFoundAsUndefined(operation))),
      post: (operation, call) => this.withRetries(operation, () => this.request(slot, operation, 'post', call)),
      list: (operation, open) => this.withRetries(operation, () => this.allPages(slot, operation, open)),
    };
    this.subscriptions.set(key, reader);
    return reader;
  }

  private request<T>(slot: Slot, operation: string, kind: 'read' | 'post', call: (options: ArmCallOptions) => Promise<T>): Promise<T> {
    this.throwIfStopped(operation);
    return slot(() => {
      this.throwIfStopped(operation);
      if (kind === 'read') this.reads += 1;
      else this.posts += 1;
      return call({ abortSignal: this.signal });
    });
  }

  private async allPages<T>(slot: Slot, operation: string, open: (options: ArmCallOptions) => PagedList<T>): Promise<T[]> {
    const pages = open({ abortSignal: this.signal }).byPage();
    const items: T[] = [];
    for (;;) {
      this.throwIfStopped(operation);
      let page: IteratorResult<T[]> | undefined;
      try {
        page = await slot(() => {
          this.throwIfStopped(operation);
          return pages.next();
        });
      } finally {
        // The iterator's last step (no nextLink) sends nothing; every other step, answered or failed, was a GET.
        if (page?.done !== true) this.reads += 1;
      }
      if (page === undefined || page.done === true) return items;
      items.push(...page.value);
    }
  }

  private async withRetries<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (this.signal.aborted) throw this.failure ?? (error instanceof DiscoveryAbortedError ? error : new DiscoveryAbortedError(operation, error));
        const failure = toArmError(error, operation);
        if (failure.retryable && tries < READ_ATTEMPTS) {
          this.retried += 1;
          await this.pause(retryDelayInMs(tries, failure.details?.['retryAfterInMs'], this.limits.firstRetryDelayInMs), operation);
          continue;
        }
        this.failure ??= failure;
        this.stop.abort(failure);
        throw failure;
      }
    }
  }

  private async pause(delayInMs: number, operation: string): Promise<void> {
    try {
      await sleep(delayInMs, undefined, { signal: this.signal });
    } catch (error) {
      throw this.failure ?? new DiscoveryAbortedError(operation, error);
    }
  }

  private throwIfStopped(operation: string): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.external?.aborted === true) throw new DiscoveryAbortedError(operation, this.external.reason);
  }
}

type Slot = <T>(task: () => Promise<T>) => Promise<T>;

/** A 404 as an answer: the resource is not there. */
function notFoundAsUndefined(operation: string): (error: unknown) => undefined {
  return (error) => {
    if (toArmError(error, operation) instanceof ArmResourceNotFoundError) return undefined;
    throw error;
  };
}

/**
 * The wait before retry number `tries` (1-based): doubling from `firstDelayInMs` (0.5 s), capped at 30 s; ARM's
 * Retry-After wins when longer.
 */
export function retryDelayInMs(tries: number, retryAfterInMs: unknown, firstDelayInMs = FIRST_RETRY_DELAY_IN_MS): number {
  const backoff = Math.min(firstDelayInMs * 2 ** (tries - 1), MAX_RETRY_DELAY_IN_MS);
  return typeof retryAfterInMs === 'number' && retryAfterInMs > backoff ? Math.min(retryAfterInMs, MAX_RETRY_DELAY_IN_MS) : backoff;
}
