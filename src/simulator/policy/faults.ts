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
  readonly pathRegex: RegExp | undefined;
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
    let pathRegex: RegExp | undefined;
    if (input.pathPattern !== undefined) {
      try {
        pathRegex = new RegExp(input.pathPattern, 'i');
      } catch (error) {
        throw new FaultRuleError(`Fault pathPattern '${input.pathPattern}' is not a valid regular expression: ${(error as Error).message}`);
      }
    }
    const id = input.id ?? `fault-${this.nextId++}`;
    if (this.rules.some((r) => r.rule.id === id)) throw new FaultRuleError(`A fault rule with id '${id}' already exists.`);
    const rule: StoredFaultRule = { ...input, id, fired: 0 };
    this.rules.push({ rule, pathRegex });
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

  /** The first rule matching the request that decides to fire; counts it and retires it after `count` firings. */
  fire(request: ArmRequestInfo, random: RandomSource): StoredFaultRule | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const live = this.rules[i];
      if (live === undefined) continue;
      const { rule, pathRegex } = live;
      if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) continue;
      if (pathRegex !== undefined && !pathRegex.test(request.path)) continue;
      if (random() >= (rule.probability ?? 1)) continue;
      live.rule = { ...rule, fired: rule.fired + 1 };
      if (rule.count !== undefined && live.rule.fired >= rule.count) this.rules.splice(i, 1);
      return live.rule;
    }
    return undefined;
  }
}

/** The name Network gives the operation in RetryableErrorDueToAnotherOperation ('PutSubnetOperation'). */
function networkOperationName(request: ArmRequestInfo): string {
  const segments = request.resourceId.split('/').filter((s) => s !== '');
  const type = segments.length >= 2 ? (segments[segments.length - 2] ?? 'Resource') : 'Resource';
  const singular = type.replace(/ies$/, 'y').replace(/s$/, '');
  const verb = request.method === 'DELETE' ? 'Delete' : request.method === 'PATCH' ? 'Patch' : 'Put';
  return `${verb}${singular.charAt(0).toUpperCase()}${singular.slice(1)}Operation`;
}

export function faultVerdict(rule: StoredFaultRule, request: ArmRequestInfo): PolicyVerdict {
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
  readonly store: FaultStore;
  /** Seed for probabilistic rules; the same seed fails the same requests. Default 1. */
  readonly seed?: number;
}

export function createFaultPolicy(options: FaultPolicyOptions): RequestPolicy {
  const random = seededRandom(options.seed ?? 1);
  return {
    evaluate(request: ArmRequestInfo): PolicyVerdict {
      const rule = options.store.fire(request, random);
      return rule === undefined ? { kind: 'pass' } : faultVerdict(rule, request);
    },
  };
}
