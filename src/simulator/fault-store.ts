import { randomUUID } from 'node:crypto';
import type { FaultRule } from './contract.js';

/** A stored rule always has an id and tracks how many more requests it may fail. */
export interface StoredFaultRule extends FaultRule {
  readonly id: string;
  /** Remaining failures for counted rules; undefined = unlimited. */
  readonly remaining?: number;
}

/**
 * The fault rules the admin API manages and the fault policy (src/simulator/policy/) reads. The store only keeps
 * rules; deciding whether a request matches is the policy's job. `consume` counts one use and retires spent rules.
 */
export class FaultStore {
  private rules: StoredFaultRule[] = [];

  list(): readonly StoredFaultRule[] {
    return this.rules;
  }

  add(rule: FaultRule): StoredFaultRule {
    const stored: StoredFaultRule = {
      ...rule,
      id: rule.id ?? randomUUID(),
      ...(rule.count === undefined ? {} : { remaining: rule.count }),
    };
    this.rules = [...this.rules.filter((r) => r.id !== stored.id), stored];
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

  /** Records that `rule` failed one request. Returns false if the rule was already spent or removed. */
  consume(rule: FaultRule | string): boolean {
    const id = typeof rule === 'string' ? rule : rule.id;
    const current = this.rules.find((r) => r.id === id);
    if (current === undefined) return false;
    if (current.remaining === undefined) return true;
    if (current.remaining <= 0) return false;
    const remaining = current.remaining - 1;
    this.rules = remaining <= 0 ? this.rules.filter((r) => r.id !== id) : this.rules.map((r) => (r.id === id ? { ...r, remaining } : r));
    return true;
  }
}
