import type { FaultRule } from './contract.js';

/** A rule as stored: its id assigned, what it has done so far, and for 'permanent' the status to answer. */
export interface StoredFaultRule extends FaultRule {
  readonly id: string;
  /** Status for 'permanent' faults: 400 (BadRequest) by default, or 409 (Conflict). */
  readonly status?: 400 | 409;
  /** Matching requests this rule has failed so far. */
  readonly fired: number;
  /** Failures left for counted rules; absent for unlimited ones. */
  readonly remaining?: number;
}

/** A rule as callers add it: the contract's FaultRule plus the optional status of a 'permanent' fault. */
export type FaultRuleInput = FaultRule & { readonly status?: 400 | 409 };

/** A rule that cannot work (bad regex, probability outside [0, 1], ...). Retrying the same rule never helps. */
export class FaultRuleError extends Error {
  readonly code = 'SimulatorFaultRuleInvalid';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'FaultRuleError';
  }
}

/**
 * The one store of injected-fault rules: the scenario seeds it, the admin API (/_simulator/faults) lists, adds and
 * removes rules, and the fault policy (tools/arm-simulator/src/policy/faults.ts) reads it and calls `consume` when a rule fires.
 * Deciding whether a request matches is the policy's job; the store validates, counts and retires.
 */
export class FaultStore {
  private rules: StoredFaultRule[] = [];
  private nextId = 1;

  constructor(initial: readonly FaultRuleInput[] = []) {
    for (const rule of initial) this.add(rule);
  }

  list(): readonly StoredFaultRule[] {
    return this.rules;
  }

  /**
   * Validates and adds a rule, returning it with its id (the given one, else 'fault-N'). A rule with an id already in
   * use replaces that rule, so re-posting the same rule is idempotent.
   */
  add(input: FaultRuleInput): StoredFaultRule {
    validate(input);
    const id = input.id ?? `fault-${this.nextId++}`;
    const stored: StoredFaultRule = { ...input, id, fired: 0, ...(input.count === undefined ? {} : { remaining: input.count }) };
    this.rules = [...this.rules.filter((r) => r.id !== id), stored];
    return stored;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** Records that the rule failed one request and retires it once spent. False when it is already gone. */
  consume(rule: FaultRule | string): boolean {
    const id = typeof rule === 'string' ? rule : rule.id;
    const current = this.rules.find((r) => r.id === id);
    if (current === undefined) return false;
    const fired = current.fired + 1;
    if (current.remaining === undefined) {
      this.rules = this.rules.map((r) => (r.id === id ? { ...r, fired } : r));
      return true;
    }
    const remaining = current.remaining - 1;
    this.rules = remaining <= 0 ? this.rules.filter((r) => r.id !== id) : this.rules.map((r) => (r.id === id ? { ...r, fired, remaining } : r));
    return true;
  }
}

function validate(input: FaultRuleInput): void {
  if (input.probability !== undefined && !(input.probability >= 0 && input.probability <= 1)) {
    throw new FaultRuleError(`Fault probability must be between 0 and 1; got ${input.probability}.`);
  }
  if (input.count !== undefined && !(Number.isInteger(input.count) && input.count > 0)) {
    throw new FaultRuleError(`Fault count must be a positive integer; got ${input.count}.`);
  }
  if (input.retryAfterSeconds !== undefined && !(Number.isInteger(input.retryAfterSeconds) && input.retryAfterSeconds >= 0)) {
    throw new FaultRuleError(`Fault retryAfterSeconds must be a non-negative integer; got ${input.retryAfterSeconds}.`);
  }
  if (input.status !== undefined && input.status !== 400 && input.status !== 409) {
    throw new FaultRuleError(`Fault status must be 400 or 409 (permanent faults only); got ${String(input.status)}.`);
  }
  if (input.pathPattern !== undefined) {
    try {
      new RegExp(input.pathPattern, 'i');
    } catch (error) {
      throw new FaultRuleError(`Fault pathPattern '${input.pathPattern}' is not a valid regular expression: ${(error as Error).message}`);
    }
  }
}
