import type { SimClock } from './contract.js';
import { OperationTracker } from './operations.js';
import type { StartOperation, TrackedOperation } from './operations.js';

/** Runs a long-running operation's outcome and records what it changed at the operation's own completion instant. */
export type CompletionObserver = (completesAt: number, complete: () => void) => void;

/**
 * Operations are settled lazily (on the next request), but their outcome belongs at `completesAt`: this tracker hands
 * every completion to the observer with that instant, so timelines do not depend on when a client happened to poll.
 */
export class ObservedOperationTracker extends OperationTracker {
  private observer: CompletionObserver = (_at, complete) => complete();

  constructor(clock: SimClock) {
    super(clock);
  }

  /** The recorder needs the context and the context needs this tracker, so the observer arrives after construction. */
  observe(observer: CompletionObserver): void {
    this.observer = observer;
  }

  override start(spec: StartOperation): TrackedOperation {
    let completesAt = 0;
    const operation = super.start({ ...spec, complete: () => this.observer(completesAt, spec.complete) });
    completesAt = operation.completesAt;
    return operation;
  }
}
