/**
 * ARM request throttling as Microsoft Learn describes it: a token bucket per subscription and principal for each
 * operation kind (reads 250 burst / 25 per s, writes 200 / 10 per s, deletes 200 / 10 per s), plus Microsoft.Network's
 * own limit of 1,000 writes+deletes per 5 minutes. Buckets refill in simulated time (clock.now()), so a clock running
 * `factor` times faster refills `factor` times faster in real time; Retry-After is converted back to real seconds.
 */
import type { ArmRequestInfo, PolicyVerdict, RequestPolicy, SimClock } from '../contract.js';
import { armErrorBody, retryAfterSeconds } from './envelopes.js';

export interface BucketLimit {
  /** Tokens available after a long idle period. */
  readonly burst: number;
  /** Tokens added per simulated second. */
  readonly perSecond: number;
}

export interface ThrottleLimits {
  readonly read: BucketLimit;
  readonly write: BucketLimit;
  readonly delete: BucketLimit;
  /** Microsoft.Network writes+deletes allowed in any window of `networkWindowMs` simulated milliseconds. */
  readonly networkWritesPerWindow: number;
  readonly networkWindowMs: number;
}

export const ARM_THROTTLE_LIMITS: ThrottleLimits = {
  read: { burst: 250, perSecond: 25 },
  write: { burst: 200, perSecond: 10 },
  delete: { burst: 200, perSecond: 10 },
  networkWritesPerWindow: 1000,
  networkWindowMs: 5 * 60 * 1000,
};

const REMAINING_HEADER: Record<ArmRequestInfo['operationKind'], string> = {
  read: 'x-ms-ratelimit-remaining-subscription-reads',
  write: 'x-ms-ratelimit-remaining-subscription-writes',
  delete: 'x-ms-ratelimit-remaining-subscription-deletes',
};

/** Header carrying the Network 5-minute budget; the resource-provider header ARM forwards for provider limits. */
export const NETWORK_REMAINING_HEADER = 'x-ms-ratelimit-remaining-resource';
const NETWORK_BUDGET_NAME = 'Microsoft.Network/PutDeleteRequests5Min';

interface TokenBucket {
  tokens: number;
  updatedAt: number;
}

export interface ThrottlePolicyOptions {
  readonly clock: SimClock;
  readonly limits?: ThrottleLimits;
}

export interface ThrottlePolicy extends RequestPolicy {
  /** Forget all buckets (admin reset between tests). */
  reset(): void;
}

export function createThrottlePolicy(options: ThrottlePolicyOptions): ThrottlePolicy {
  const { clock } = options;
  const limits = options.limits ?? ARM_THROTTLE_LIMITS;
  const buckets = new Map<string, TokenBucket>();
  /** Simulated timestamps of accepted Network writes/deletes per caller, oldest first. */
  const networkWindows = new Map<string, number[]>();

  function refill(key: string, limit: BucketLimit, now: number): TokenBucket {
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: limit.burst, updatedAt: now };
      buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed * limit.perSecond) / 1000);
    bucket.updatedAt = now;
    return bucket;
  }

  function liveWindow(key: string, now: number): number[] {
    let window = networkWindows.get(key);
    if (window === undefined) {
      window = [];
      networkWindows.set(key, window);
    }
    const cutoff = now - limits.networkWindowMs;
    let expired = 0;
    while (expired < window.length && (window[expired] ?? Infinity) <= cutoff) expired++;
    if (expired > 0) window.splice(0, expired);
    return window;
  }

  function throttled(request: ArmRequestInfo, waitSimMs: number, kind: string, limit: number, interval: string): PolicyVerdict {
    const seconds = retryAfterSeconds(waitSimMs, clock.factor);
    const subscription = request.subscriptionId ?? 'tenant';
    return {
      kind: 'respond',
      status: 429,
      headers: { 'Retry-After': String(seconds), [REMAINING_HEADER[request.operationKind]]: '0' },
      body: armErrorBody(
        'TooManyRequests',
        `Number of '${kind}' requests for subscription '${subscription}' actor '${request.principalId}' exceeded the limit ` +
          `of '${limit}' for time interval '${interval}'. Please try again after '${seconds}' seconds.`,
      ),
    };
  }

  return {
    reset: () => {
      buckets.clear();
      networkWindows.clear();
    },
    evaluate(request: ArmRequestInfo): PolicyVerdict {
      const now = clock.now();
      const caller = `${(request.subscriptionId ?? 'tenant').toLowerCase()}|${request.principalId}`;
      const kind = request.operationKind;
      const limit = limits[kind];
      const bucket = refill(`${caller}|${kind}`, limit, now);
      const countsForNetwork = kind !== 'read' && request.provider?.toLowerCase() === 'microsoft.network';

      if (bucket.tokens < 1) {
        const waitMs = ((1 - bucket.tokens) * 1000) / limit.perSecond;
        return throttled(request, waitMs, kind, limit.burst, `burst, refilling ${limit.perSecond}/s`);
      }
      let networkRemaining: number | undefined;
      if (countsForNetwork) {
        const window = liveWindow(caller, now);
        if (window.length >= limits.networkWritesPerWindow) {
          const oldest = window[0] ?? now;
          return throttled(request, oldest + limits.networkWindowMs - now, 'Microsoft.Network write', limits.networkWritesPerWindow, '00:05:00');
        }
        window.push(now);
        networkRemaining = limits.networkWritesPerWindow - window.length;
      }
      bucket.tokens -= 1;
      const headers: Record<string, string> = { [REMAINING_HEADER[kind]]: String(Math.floor(bucket.tokens)) };
      if (networkRemaining !== undefined) headers[NETWORK_REMAINING_HEADER] = `${NETWORK_BUDGET_NAME};${networkRemaining}`;
      return { kind: 'pass', headers };
    },
  };
}
