import { idKey } from './resource-path.js';
import { ResourceStore } from './store.js';
import type { StoredResource } from './store.js';

/** Told about every write (lower-cased resource key) and about the end of every outermost transaction. */
export interface StoreChangeListener {
  changed(key: string): void;
  committed(): void;
}

/**
 * The resource store that tells the app world recorder what changed, so reachability is recomputed for the affected
 * apps only. A subclass rather than a hook in store.ts: the store stays a plain data structure. Rolled-back writes are
 * reported too; recomputing an unchanged app records nothing, so that over-reporting is harmless.
 */
export class ObservedResourceStore extends ResourceStore {
  private listener: StoreChangeListener | undefined;
  private depth = 0;

  observe(listener: StoreChangeListener): void {
    this.listener = listener;
  }

  override put(resource: StoredResource): void {
    super.put(resource);
    this.listener?.changed(idKey(resource.id));
  }

  override deleteTree(id: string): boolean {
    const existed = super.deleteTree(id);
    // Descendants go with it; the listener derives them from its own indexes (slots of a site, subnets of a VNet).
    if (existed) this.listener?.changed(idKey(id));
    return existed;
  }

  override transaction<T>(fn: () => T): T {
    this.depth++;
    try {
      return super.transaction(fn);
    } finally {
      this.depth--;
      if (this.depth === 0) this.listener?.committed();
    }
  }
}
