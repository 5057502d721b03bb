import type { MigratorError } from '../../domain/errors.js';
import { ArmResourceNotFoundError } from '../arm-errors.js';
import { toArmError } from '../to-arm-error.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';
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
}

/**
 * The one way discovery talks to ARM: each request waits for a slot of the concurrency limiter, is counted, gets
 * the discovery's abort signal, and a failure becomes a MigratorError naming what was being read (toArmError).
 * The first failure cancels every request still in flight or queued, so one broken read stops the fleet's reads
 * at once instead of letting hundreds more run into the same problem; that first failure is what discovery throws.
 * Retrying 429/503 with Retry-After is left to the SDK's own throttling policy, which already waits exactly that.
 */
export class ArmReader {
  readonly signal: AbortSignal;
  private readonly stop = new AbortController();
  private reads = 0;
  private posts = 0;
  private failure: MigratorError | undefined;

  constructor(
    private readonly limiter: ConcurrencyLimiter,
    private readonly external: AbortSignal | undefined,
  ) {
    this.signal = external === undefined ? this.stop.signal : AbortSignal.any([external, this.stop.signal]);
  }

  get counts(): ArmRequestCounts {
    return { armReads: this.reads, armPosts: this.posts };
  }

  /** The failure that stopped discovery, if one did. */
  get firstFailure(): MigratorError | undefined {
    return this.failure;
  }

  /** One GET. */
  get<T>(operation: string, call: (options: ArmCallOptions) => Promise<T>): Promise<T> {
    return this.send(operation, 'read', call, false) as Promise<T>;
  }

  /** One GET whose 404 is an answer (undefined), not a failure. */
  getIfExists<T>(operation: string, call: (options: ArmCallOptions) => Promise<T>): Promise<T | undefined> {
    return this.send(operation, 'read', call, true);
  }

  /** One POST action. */
  post<T>(operation: string, call: (options: ArmCallOptions) => Promise<T>): Promise<T> {
    return this.send(operation, 'post', call, false) as Promise<T>;
  }

  /** Every item of a paged list; each page is one request through the limiter. */
  async list<T>(operation: string, open: (options: ArmCallOptions) => PagedList<T>): Promise<T[]> {
    const pages = open({ abortSignal: this.signal }).byPage();
    const items: T[] = [];
    for (;;) {
      let page: IteratorResult<T[]> | undefined;
      try {
        page = await this.send(operation, 'page', () => pages.next(), false);
      } finally {
        // The iterator's last step (no nextLink) sends nothing; every other step, answered or failed, was a GET.
        if (page?.done !== true) this.reads += 1;
      }
      if (page === undefined || page.done === true) break;
      items.push(...page.value);
    }
    return items;
  }

  private async send<T>(operation: string, kind: 'read' | 'post' | 'page', call: (options: ArmCallOptions) => Promise<T>, notFoundIsAnswer: boolean): Promise<T | undefined> {
    this.throwIfStopped(operation);
    try {
      return await this.limiter.run(() => {
        this.throwIfStopped(operation);
        if (kind === 'read') this.reads += 1;
        else if (kind === 'post') this.posts += 1;
        return call({ abortSignal: this.signal });
      });
    } catch (error) {
      if (this.signal.aborted) throw this.failure ?? (error instanceof DiscoveryAbortedError ? error : new DiscoveryAbortedError(operation, error));
      const failure = toArmError(error, operation);
      if (notFoundIsAnswer && failure instanceof ArmResourceNotFoundError) return undefined;
      this.failure ??= failure;
      this.stop.abort(failure);
      throw failure;
    }
  }

  private throwIfStopped(operation: string): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.external?.aborted === true) throw new DiscoveryAbortedError(operation, this.external.reason);
  }
}
