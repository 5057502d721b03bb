/**
 * Injected failures. A FaultStore holds the active rules (the admin API lists, adds and removes them); the fault
 * policy fails a request when the first matching rule fires. Probability uses a seeded generator so a scenario with
 * flaky rules fails the same requests on every run.
 */
import { randomUUID } from 'node:crypto';
import type { ArmRequestInfo, FaultRule, PolicyVerdict, RequestPolicy } from '../contract.js';
import { armErrorBody, providerErrorBody } from './envelopes.js';
import { seededRandom, type RandomSource } from './prng.js';

/** A stored rule: the contract's FaultRule with its id assigned and, for 'permanent', the status to answer. */
export interface StoredFaultRule extends FaultRule {
  readonly id: string;
  /** Status for 'permanent' faults: 400 (BadRequest) by default, or 409 (Conflict). */
  readonly status?: 400 | 409;
  /** Matching requests this rule has failed so far. */
  readonly fired: number;
}

export type FaultRuleInput = FaultRule & { readonly status?: 400 | 409 };

export class FaultRuleError extends Error {
  readonly code = 'SimulatorFaultRuleInvalid';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'FaultRuleError';
  }
}

interface LiveRule {
  rule: StoredFaultRule;
}

export class FaultStore {
  private readonly rules: LiveRule[] = [];
  private nextId = 1;

  constructor(initial: readonly FaultRuleInput[] = []) {
    for (const rule of initial) this.add(rule);
  }

  list(): StoredFaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** Adds a rule (validated) and returns it with its id: the given one, or 'fault-N'. */
  add(input: FaultRuleInput): StoredFaultRule {
    if (input.probability !== undefined && !(input.probability >= 0 && input.probability <= 1)) {
      throw new FaultRuleError(`Fault probability must be between 0 and 1; got ${input.probability}.`);
    }
    if (input.count !== undefined && !(Number.isInteger(input.count) && input.count > 0)) {
      throw new FaultRuleError(`Fault count must be a positive integer; got ${input.count}.`);
    }
    if (input.pathPattern !== undefined) {
      try {
        new RegExp(input.pathPattern, 'i');
      } catch (error) {
        throw new FaultRuleError(`Fault pathPattern '${input.pathPattern}' is not a valid regular expression: ${(error as Error).message}`);
      }
    }
    const id = input.id ?? `fault-${this.nextId++}`;
    if (this.rules.some((r) => r.rule.id === id)) throw new FaultRuleError(`A fault rule with id '${id}' already exists.`);
    const rule: StoredFaultRule = { ...input, id, fired: 0 };
    this.rules.push({ rule });
    return rule;
  }

  remove(id: string): boolean {
    const index = this.rules.findIndex((r) => r.rule.id === id);
    if (index < 0) return false;
    this.rules.splice(index, 1);
    return true;
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Counts one failure caused by the rule and retires it after `count` failures; false when it is gone. */
  consume(id: string): boolean {
    const index = this.rules.findIndex((r) => r.rule.id === id);
    const live = this.rules[index];
    if (live === undefined) return false;
    live.rule = { ...live.rule, fired: live.rule.fired + 1 };
    if (live.rule.count !== undefined && live.rule.fired >= live.rule.count) this.rules.splice(index, 1);
    return true;
  }
}

/**
 * Where the fault policy reads rules from: this module's FaultStore, or any store with the same two operations
 * (the server's admin-facing store in src/simulator/fault-store.ts has them), so the policy does not care which.
 */
export interface FaultRuleSource {
  list(): readonly (FaultRule & { readonly id: string; readonly status?: 400 | 409 })[];
  consume(id: string): boolean;
}

/** The name Network gives the operation in RetryableErrorDueToAnotherOperation ('PutSubnetOperation'). */
function networkOperationName(request: ArmRequestInfo): string {
  const segments = request.resourceId.split('/').filter((s) => s !== '');
  const type = segments.length >= 2 ? (segments[segments.length - 2] ?? 'Resource') : 'Resource';
  const singular = type.replace(/ies$/, 'y').replace(/s$/, '');
  const verb = request.method === 'DELETE' ? 'Delete' : request.method === 'PATCH' ? 'Patch' : 'Put';
  return `${verb}${singular.charAt(0).toUpperCase()}${singular.slice(1)}Operation`;
}

export function faultVerdict(rule: FaultRule & { readonly status?: 400 | 409 }, request: ArmRequestInfo): PolicyVerdict {
  const retryAfter = { 'Retry-After': String(rule.retryAfterSeconds ?? 1) };
  const provider = request.provider;
  switch (rule.kind) {
    case 'http500':
      return { kind: 'respond', status: 500, body: providerErrorBody(provider, 'InternalServerError', 'An unexpected error occurred while processing the request.') };
    case 'http500-retry-after':
      return { kind: 'respond', status: 500, headers: retryAfter, body: providerErrorBody(provider, 'InternalServerError', 'An unexpected error occurred while processing the request.') };
    case 'http503':
      return { kind: 'respond', status: 503, body: providerErrorBody(provider, 'ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.') };
    case 'http503-retry-after':
      return { kind: 'respond', status: 503, headers: retryAfter, body: providerErrorBody(provider, 'ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.') };
    case 'http429':
      return { kind: 'respond', status: 429, headers: retryAfter, body: armErrorBody('TooManyRequests', 'The request is being throttled. Please try again later.') };
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
    case 'another-operation': {
      const seconds = rule.retryAfterSeconds;
      const message =
        `Operation ${networkOperationName(request)} (${randomUUID()}) was canceled. Another operation on this or dependent resource ` +
        `is in progress on resource '${request.resourceId}'.` + (seconds === undefined ? '' : ` The call can be retried in ${seconds} seconds.`);
      return {
        kind: 'respond',
        status: 429,
        ...(seconds === undefined ? {} : { headers: { 'Retry-After': String(seconds) } }),
        body: armErrorBody('RetryableErrorDueToAnotherOperation', message),
      };
    }
    case 'permanent': {
      const status = rule.status ?? 400;
      const code = status === 409 ? 'Conflict' : 'BadRequest';
      return { kind: 'respond', status, body: providerErrorBody(provider, code, rule.message ?? 'The request failed.') };
    }
  }
}

export interface FaultPolicyOptions {
  readonly store: FaultRuleSource;
  /** Seed for probabilistic rules; the same seed fails the same requests. Default 1. */
  readonly seed?: number;
}

export function createFaultPolicy(options: FaultPolicyOptions): RequestPolicy {
  const random: RandomSource = seededRandom(options.seed ?? 1);
  const patterns = new Map<string, RegExp | null>();
  const pathMatches = (pattern: string, path: string): boolean => {
    let regex = patterns.get(pattern);
    if (regex === undefined) {
      try {
        regex = new RegExp(pattern, 'i');
      } catch {
        regex = null; // an invalid pattern (only possible from a foreign store) matches nothing
      }
      patterns.set(pattern, regex);
    }
    return regex !== null && regex.test(path);
  };
  return {
    evaluate(request: ArmRequestInfo): PolicyVerdict {
      for (const rule of options.store.list()) {
        if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) continue;
        if (rule.pathPattern !== undefined && !pathMatches(rule.pathPattern, request.path)) continue;
        if (random() >= (rule.probability ?? 1)) continue;
        if (options.store.consume(rule.id)) return faultVerdict(rule, request);
      }
      return { kind: 'pass' };
    },
  };
}
