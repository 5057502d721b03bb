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
 * A secondary index over resources of some types: the rules ask "which apps are in this subnet / on this plan" on
 * every join, and scanning every app for that made seeding quadratic in fleet size. An index is registered on its
 * first lookup (built once from the resources of its types) and then kept current by every put, delete, rollback
 * and clear, so it can never disagree with the store.
 */
export interface StoreIndex {
  /** For messages and debugging only; identity is the object itself. */
  readonly name: string;
  /** Resource types the index covers ('Microsoft.Web/sites', ...); lookups answer in this type order. */
  readonly types: readonly string[];
  /** Keys a resource is found under (none: not indexed). Lower-case them when lookups must ignore case. */
  keysOf(resource: StoredResource): readonly string[];
}

interface LiveIndex {
  readonly spec: StoreIndex;
  readonly types: ReadonlySet<string>;
  /** Index key → store key → resource, in last-write order like the type index. */
  readonly buckets: Map<string, Map<string, StoredResource>>;
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
  /** Secondary indexes by type, registered on first lookup. */
  private readonly indexes = new Map<StoreIndex, LiveIndex>();
  private readonly indexesByType = new Map<string, LiveIndex[]>();
  /** Per type: resources by their subscription and resource-group scope keys. */
  private readonly scopeIndexes = new Map<string, StoreIndex>();
  private undo: Map<string, StoredResource | undefined> | undefined;
  /** Undo steps for state kept beside the store (subnet leases, lingering links), run newest first on rollback. */
  private undoSteps: (() => void)[] | undefined;

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

  /**
   * Removes a resource and every resource below it. Returns whether it existed. A prefix scan (not the parent index):
   * it must also find descendants whose intermediate parents were never stored; deletes are rare next to reads.
   */
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

  /**
   * Resources of the index's types found under `key`, in the index's type order, each type in last-write order
   * (the order ofType() lists them in).
   */
  lookup(index: StoreIndex, key: string): StoredResource[] {
    const bucket = this.liveIndex(index).buckets.get(key);
    if (bucket === undefined) return [];
    const found = [...bucket.values()];
    if (index.types.length < 2) return found;
    return index.types.flatMap((type) => found.filter((r) => r.type.toLowerCase() === type.toLowerCase()));
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
    // Subscription and resource-group scopes (every ARM list) come from an index: a list page must not cost a scan
    // of every resource of the type in every subscription.
    if (scope !== undefined && SCOPE_KEY.test(idKey(scope))) return this.lookup(this.scopeIndex(type), idKey(scope));
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
    for (const live of this.indexes.values()) live.buckets.clear();
  }

  transaction<T>(fn: () => T): T {
    if (this.undo !== undefined) return fn();
    this.undo = new Map();
    this.undoSteps = [];
    try {
      const result = fn();
      return result;
    } catch (error) {
      for (const [k, previous] of this.undo) {
        if (previous === undefined) this.unset(k);
        else this.set(k, previous);
      }
      for (const step of this.undoSteps.reverse()) step();
      throw error;
    } finally {
      this.undo = undefined;
      this.undoSteps = undefined;
    }
  }

  /**
   * Registers how to undo a change made to state kept beside the store (the platform's subnet leases and lingering
   * service association links), so a request that fails halfway leaves that state untouched too. Outside a
   * transaction there is nothing to roll back and the step is dropped.
   */
  onRollback(undo: () => void): void {
    this.undoSteps?.push(undo);
  }

  private set(key: string, resource: StoredResource): void {
    const previous = this.resources.get(key);
    if (previous !== undefined) {
      this.byType.get(previous.type.toLowerCase())?.delete(key);
      this.unindex(key, previous);
    }
    this.resources.set(key, resource);
    this.index(key, resource);
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
    this.unindex(key, previous);
    const parent = parentKey(key);
    const siblings = this.byParent.get(parent);
    siblings?.delete(key);
    if (siblings?.size === 0) this.byParent.delete(parent);
    this.resources.delete(key);
  }

  private scopeIndex(type: string): StoreIndex {
    const lower = type.toLowerCase();
    let index = this.scopeIndexes.get(lower);
    if (index === undefined) {
      index = { name: `${type} by scope`, types: [type], keysOf: (r) => scopeKeysOf(idKey(r.id)) };
      this.scopeIndexes.set(lower, index);
    }
    return index;
  }

  private liveIndex(spec: StoreIndex): LiveIndex {
    const existing = this.indexes.get(spec);
    if (existing !== undefined) return existing;
    const live: LiveIndex = { spec, types: new Set(spec.types.map((t) => t.toLowerCase())), buckets: new Map() };
    this.indexes.set(spec, live);
    for (const type of live.types) {
      const list = this.indexesByType.get(type) ?? [];
      list.push(live);
      this.indexesByType.set(type, list);
      for (const [key, resource] of this.byType.get(type) ?? []) addToIndex(live, key, resource);
    }
    return live;
  }

  private index(key: string, resource: StoredResource): void {
    for (const live of this.indexesByType.get(resource.type.toLowerCase()) ?? []) addToIndex(live, key, resource);
  }

  private unindex(key: string, resource: StoredResource): void {
    for (const live of this.indexesByType.get(resource.type.toLowerCase()) ?? []) {
      for (const indexKey of live.spec.keysOf(resource)) {
        const bucket = live.buckets.get(indexKey);
        bucket?.delete(key);
        if (bucket?.size === 0) live.buckets.delete(indexKey);
      }
    }
  }

  private remember(key: string): void {
    if (this.undo !== undefined && !this.undo.has(key)) this.undo.set(key, this.resources.get(key));
  }
}

/** '/subscriptions/{s}' or '/subscriptions/{s}/resourcegroups/{rg}', lower-cased. */
const SCOPE_KEY = /^\/subscriptions\/[^/]+(\/resourcegroups\/[^/]+)?$/;

/** The subscription and resource-group scopes a resource key lies in. */
function scopeKeysOf(key: string): string[] {
  const parts = key.split('/');
  if (parts[1] !== 'subscriptions' || parts[2] === undefined) return [];
  const subscription = `/subscriptions/${parts[2]}`;
  if (parts[3] !== 'resourcegroups' || parts[4] === undefined || parts.length < 6) return [subscription];
  return [subscription, `${subscription}/resourcegroups/${parts[4]}`];
}

function addToIndex(live: LiveIndex, key: string, resource: StoredResource): void {
  for (const indexKey of live.spec.keysOf(resource)) {
    let bucket = live.buckets.get(indexKey);
    if (bucket === undefined) {
      bucket = new Map();
      live.buckets.set(indexKey, bucket);
    }
    bucket.set(key, resource);
  }
}

/** '/a/b/types/name' → '/a/b' (drops the last type/name pair). */
function parentKey(key: string): string {
  return key.split('/').slice(0, -2).join('/');
}
