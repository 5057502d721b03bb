/**
 * Whether two migration scopes can reach the same app, judged without reading ARM: used to refuse a second
 * request while the first is still discovering (before its per-app leases exist). Conservative: tags are not
 * compared (an app's tags are only known after reading it), so two scopes that differ only by tags overlap.
 */
import type { MigrationScope } from './migration-request.js';
import { parseResourceId } from './resource-id.js';

const lower = (values: readonly string[] | undefined): Set<string> | undefined => (values === undefined ? undefined : new Set(values.map((v) => v.toLowerCase())));

function intersects(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return [...a].some((v) => b.has(v));
}

/** The site an app id belongs to (a slot's site), lower-cased. */
function siteKey(appId: string): string {
  const parsed = parseResourceId(appId);
  if (parsed.kind === 'slot') return `/subscriptions/${parsed.subscriptionId}/resourcegroups/${parsed.resourceGroup}/providers/microsoft.web/sites/${parsed.site}`.toLowerCase();
  return appId.toLowerCase();
}

export function scopesOverlap(a: MigrationScope, b: MigrationScope): boolean {
  if (!intersects(lower(a.subscriptionIds), lower(b.subscriptionIds))) return false;
  if (!intersects(lower(a.resourceGroups), lower(b.resourceGroups))) return false;
  const appsA = a.appIds === undefined ? undefined : new Set(a.appIds.map(siteKey));
  const appsB = b.appIds === undefined ? undefined : new Set(b.appIds.map(siteKey));
  return intersects(appsA, appsB);
}

/** Whether an app (by id) falls in a scope, tags aside (see above). */
export function scopeMayInclude(scope: MigrationScope, appId: string): boolean {
  const parsed = parseResourceId(appId);
  if (parsed.kind !== 'site' && parsed.kind !== 'slot') return false;
  if (!scope.subscriptionIds.some((s) => s.toLowerCase() === parsed.subscriptionId.toLowerCase())) return false;
  if (scope.resourceGroups !== undefined && !scope.resourceGroups.some((g) => g.toLowerCase() === parsed.resourceGroup.toLowerCase())) return false;
  if (scope.appIds !== undefined && !scope.appIds.some((id) => siteKey(id) === siteKey(appId))) return false;
  return true;
}
