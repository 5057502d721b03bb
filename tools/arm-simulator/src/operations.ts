import { randomUUID } from 'node:crypto';
import type { SimClock } from './contract.js';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

/** A long-running operation: InProgress until `completesAt` (simulated ms), then its outcome is applied once. */
export interface TrackedOperation {
  readonly id: string;
  readonly provider: 'Microsoft.Web' | 'Microsoft.Network';
  readonly location: string;
  readonly subscriptionId: string;
  /** Resource the operation works on (lower-cased key), to refuse overlapping operations. */
  readonly resourceKey: string;
  readonly completesAt: number;
  status: OperationStatus;
  error?: { readonly code: string; readonly message: string };
  /** Applies the outcome (provisioningState Succeeded, removal, ...). Runs once when the operation is due. */
  readonly complete: () => void;
  /** Body for the final Location poll, if the operation returns the resource. */
  readonly finalBody?: () => unknown;
}

export interface StartOperation {
  readonly provider: TrackedOperation['provider'];
  readonly location: string;
  readonly subscriptionId: string;
  readonly resourceKey: string;
  readonly durationMs: number;
  readonly complete: () => void;
  readonly finalBody?: () => unknown;
}

/**
 * Long-running operations are settled lazily against the simulated clock (every request first settles what is due),
 * so a test stepping the clock sees exactly the transitions ARM would have made, with no background timers.
 */
export class OperationTracker {
  private readonly operations = new Map<string, TrackedOperation>();

  constructor(private readonly clock: SimClock) {}

  start(spec: StartOperation): TrackedOperation {
    const operation: TrackedOperation = {
      id: randomUUID(),
      provider: spec.provider,
      location: spec.location.replace(/\s+/g, '').toLowerCase() || 'global',
      subscriptionId: spec.subscriptionId,
      resourceKey: spec.resourceKey,
      completesAt: this.clock.now() + Math.max(0, spec.durationMs),
      status: 'InProgress',
      complete: spec.complete,
      ...(spec.finalBody === undefined ? {} : { finalBody: spec.finalBody }),
    };
    this.operations.set(operation.id, operation);
    return operation;
  }

  get(id: string): TrackedOperation | undefined {
    this.settleDue();
    return this.operations.get(id.toLowerCase()) ?? this.operations.get(id);
  }

  /** The running operation on a resource or any resource below or above it, if any. */
  runningOn(resourceKey: string): TrackedOperation | undefined {
    this.settleDue();
    for (const op of this.operations.values()) {
      if (op.status !== 'InProgress') continue;
      if (op.resourceKey === resourceKey || op.resourceKey.startsWith(`${resourceKey}/`) || resourceKey.startsWith(`${op.resourceKey}/`)) return op;
    }
    return undefined;
  }

  /** Applies every operation whose time has come, in completion order. */
  settleDue(): void {
    const now = this.clock.now();
    const due = [...this.operations.values()]
      .filter((op) => op.status === 'InProgress' && op.completesAt <= now)
      .sort((a, b) => a.completesAt - b.completesAt);
    for (const op of due) {
      try {
        op.complete();
        op.status = 'Succeeded';
      } catch (error) {
        op.status = 'Failed';
        const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'InternalServerError';
        op.error = { code, message: error instanceof Error ? error.message : String(error) };
      }
    }
  }

  /** Simulated ms until the operation completes (0 when done). */
  remainingMs(op: TrackedOperation): number {
    return op.status === 'InProgress' ? Math.max(0, op.completesAt - this.clock.now()) : 0;
  }

  inProgressCount(): number {
    this.settleDue();
    return [...this.operations.values()].filter((op) => op.status === 'InProgress').length;
  }

  clear(): void {
    this.operations.clear();
  }
}
