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
  /** Lower-cased type → resources of that type, so type scans (apps in a subnet, lists) skip everything else. */
  private readonly byType = new Map<string, Map<string, StoredResource>>();
  /** Lower-cased parent id → its direct children, so child lookups do not scan the store. */
  private readonly byParent = new Map<string, Map<string, StoredResource>>();
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
    this.set(key, resource);
  }

  /** Removes a resource and every resource below it. Returns whether it existed. */
  deleteTree(id: string): boolean {
    const key = idKey(id);
    const existed = this.resources.has(key);
    for (const k of [...this.resources.keys()]) {
      if (k === key || k.startsWith(`${key}/`)) {
        this.remember(k);
        this.unset(k);
      }
    }
    return existed;
  }

  /** Direct children of `parentId` of the given child type segment (e.g. 'subnets'), in insertion order. */
  children(parentId: string, childType: string): StoredResource[] {
    const prefix = `${idKey(parentId)}/${childType.toLowerCase()}/`;
    const out: StoredResource[] = [];
    for (const [k, r] of this.byParent.get(idKey(parentId)) ?? []) {
      if (k.startsWith(prefix)) out.push(r);
    }
    return out;
  }

  /** Every resource of a type, optionally within a subscription or resource group scope. */
  ofType(type: string, scope?: string): StoredResource[] {
    const ofType = this.byType.get(type.toLowerCase());
    if (ofType === undefined) return [];
    const s = scope === undefined ? undefined : `${idKey(scope)}/`;
    const out: StoredResource[] = [];
    for (const [k, r] of ofType) {
      if (s === undefined || k.startsWith(s)) out.push(r);
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
    this.byType.clear();
    this.byParent.clear();
  }

  transaction<T>(fn: () => T): T {
    if (this.undo !== undefined) return fn();
    this.undo = new Map();
    try {
      const result = fn();
      return result;
    } catch (error) {
      for (const [k, previous] of this.undo) {
        if (previous === undefined) this.unset(k);
        else this.set(k, previous);
      }
      throw error;
    } finally {
      this.undo = undefined;
    }
  }

  private set(key: string, resource: StoredResource): void {
    const previous = this.resources.get(key);
    if (previous !== undefined) this.byType.get(previous.type.toLowerCase())?.delete(key);
    this.resources.set(key, resource);
    const type = resource.type.toLowerCase();
    let ofType = this.byType.get(type);
    if (ofType === undefined) {
      ofType = new Map();
      this.byType.set(type, ofType);
    }
    ofType.set(key, resource);
    const parent = parentKey(key);
    let siblings = this.byParent.get(parent);
    if (siblings === undefined) {
      siblings = new Map();
      this.byParent.set(parent, siblings);
    }
    siblings.set(key, resource);
  }

  private unset(key: string): void {
    const previous = this.resources.get(key);
    if (previous === undefined) return;
    this.byType.get(previous.type.toLowerCase())?.delete(key);
    this.byParent.get(parentKey(key))?.delete(key);
    this.resources.delete(key);
  }

  private remember(key: string): void {
    if (this.undo !== undefined && !this.undo.has(key)) this.undo.set(key, this.resources.get(key));
  }
}

/** '/a/b/types/name' → '/a/b' (drops the last type/name pair). */
function parentKey(key: string): string {
  return key.split('/').slice(0, -2).join('/');
}
