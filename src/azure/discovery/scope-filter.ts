import type { MigrationScope } from '../../domain/migration-request.js';
import { parseResourceId, resourceIdKey, siteOf } from '../../domain/resource-id.js';

/** The facts of a listed site or slot the scope looks at. */
export interface ScopedResource {
  readonly id: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Decides which listed sites and slots a MigrationScope selects. Resource groups compare case-insensitively (as
 * ARM names them); appIds are exact site or slot ids (case-insensitive), and a listed site does not pull in its
 * slots; every listed tag must be on the site, and a slot matches by its own tags or by its site's. Tag names
 * compare case-insensitively (ARM keeps one tag per name regardless of case), values exactly.
 */
export class ScopeFilter {
  private readonly resourceGroups: ReadonlySet<string> | undefined;
  private readonly appIds: ReadonlySet<string> | undefined;
  /** Sites a listed slot belongs to: they must be read (and their slots listed) to find the slot. */
  private readonly sitesOfListedSlots: ReadonlySet<string>;
  private readonly tags: readonly (readonly [string, string])[] | undefined;

  constructor(scope: MigrationScope) {
    this.resourceGroups = scope.resourceGroups === undefined ? undefined : new Set(scope.resourceGroups.map((rg) => rg.toLowerCase()));
    this.appIds = scope.appIds === undefined ? undefined : new Set(scope.appIds.map((id) => resourceIdKey(id)));
    this.sitesOfListedSlots = new Set(
      (scope.appIds ?? []).flatMap((id) => {
        const parsed = parseResourceId(id);
        return parsed.kind === 'slot' ? [resourceIdKey(siteOf(parsed))] : [];
      }),
    );
    this.tags = scope.tags === undefined ? undefined : Object.entries(scope.tags).map(([name, value]) => [name.toLowerCase(), value] as const);
  }

  /** Whether the site's slots must be listed: the site or one of its slots may be selected. */
  isCandidate(site: ScopedResource): boolean {
    if (this.resourceGroups !== undefined && !this.resourceGroups.has(resourceGroupOf(site.id))) return false;
    if (this.appIds === undefined) return true;
    const key = resourceIdKey(site.id);
    return this.appIds.has(key) || this.sitesOfListedSlots.has(key);
  }

  selectsSite(site: ScopedResource): boolean {
    return this.isCandidate(site) && this.listed(site) && this.tagsMatch(site);
  }

  selectsSlot(slot: ScopedResource, site: ScopedResource): boolean {
    return this.isCandidate(site) && this.listed(slot) && (this.tagsMatch(slot) || this.tagsMatch(site));
  }

  private listed(resource: ScopedResource): boolean {
    return this.appIds === undefined || this.appIds.has(resourceIdKey(resource.id));
  }

  private tagsMatch(resource: ScopedResource): boolean {
    if (this.tags === undefined) return true;
    const present = new Map(Object.entries(resource.tags ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    return this.tags.every(([name, value]) => present.get(name) === value);
  }
}

function resourceGroupOf(id: string): string {
  const parsed = parseResourceId(id);
  return parsed.kind === 'subscription' ? '' : parsed.resourceGroup.toLowerCase();
}
