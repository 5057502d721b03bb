import { idKey } from './resource-path.js';

/** A resource as the simulator keeps it. Stored objects are never mutated in place: writers put a new object. */
export interface StoredResource {
  /** Original casing of the first PUT. */
  readonly id: string;
  readonly name: string;
  /** 'Microsoft.Web/sites', 'Microsoft.Network/virtualNetworks/subnets', ... */
  readonly type: string;
  readonly location?: string;
  readonly kind?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly sku?: Readonly<Record<string, unknown>>;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly etag?: string;
}

/**
 * All resources, keyed by lower-cased id, with an undo log so a request that fails halfway leaves nothing behind:
 * `transaction(fn)` rolls back every put and delete `fn` made if it throws.
 */
export class ResourceStore {
  private readonly resources = new Map<string, StoredResource>();
  private undo: Map<string, StoredResource | undefined> | undefined;

  get(id: string): StoredResource | undefined {
    return this.resources.get(idKey(id));
  }

  has(id: string): boolean {
    return this.resources.has(idKey(id));
  }

  put(resource: StoredResource): void {
    const key = idKey(resource.id);
    this.remember(key);
    this.resources.set(key, resource);
  }

  /** Removes a resource and every resource below it. Returns whether it existed. */
  deleteTree(id: string): boolean {
    const key = idKey(id);
    const existed = this.resources.has(key);
    for (const k of [...this.resources.keys()]) {
      if (k === key || k.startsWith(`${key}/`)) {
        this.remember(k);
        this.resources.delete(k);
      }
    }
    return existed;
  }

  /** Direct children of `parentId` of the given child type segment (e.g. 'subnets'), in insertion order. */
  children(parentId: string, childType: string): StoredResource[] {
    const prefix = `${idKey(parentId)}/${childType.toLowerCase()}/`;
    const out: StoredResource[] = [];
    for (const [k, r] of this.resources) {
      if (k.startsWith(prefix) && !k.slice(prefix.length).includes('/')) out.push(r);
    }
    return out;
  }

  /** Every resource of a type, optionally within a subscription or resource group scope. */
  ofType(type: string, scope?: string): StoredResource[] {
    const t = type.toLowerCase();
    const s = scope === undefined ? undefined : `${idKey(scope)}/`;
    const out: StoredResource[] = [];
    for (const [k, r] of this.resources) {
      if (r.type.toLowerCase() === t && (s === undefined || k.startsWith(s))) out.push(r);
    }
    return out;
  }

  count(): number {
    return this.resources.size;
  }

  countsByType(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.resources.values()) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return counts;
  }

  clear(): void {
    this.resources.clear();
  }

  transaction<T>(fn: () => T): T {
    if (this.undo !== undefined) return fn();
    this.undo = new Map();
    try {
      const result = fn();
      return result;
    } catch (error) {
      for (const [k, previous] of this.undo) {
        if (previous === undefined) this.resources.delete(k);
        else this.resources.set(k, previous);
      }
      throw error;
    } finally {
      this.undo = undefined;
    }
  }

  private remember(key: string): void {
    if (this.undo !== undefined && !this.undo.has(key)) this.undo.set(key, this.resources.get(key));
  }
}
