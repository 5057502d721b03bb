import { ArmHttpError } from './arm-error.js';

/** An ARM path taken apart: /subscriptions/{s}[/resourceGroups/{rg}][/providers/{ns}/{type}/{name}/...]. */
export interface ArmPath {
  readonly subscriptionId: string;
  readonly resourceGroup: string | undefined;
  readonly provider: string | undefined;
  /** Segments after the provider namespace: type, name, type, name, ... possibly ending in a type or an action. */
  readonly segments: readonly string[];
}

const SAFE_SEGMENT = /^[^\s/\\?#%<>*&:]+$/;

/** Parses an ARM path; throws 400 InvalidResourceId / 404 as ARM does for paths it cannot route. */
export function parseArmPath(rawPath: string): ArmPath {
  const trimmed = rawPath.replace(/\/+$/, '');
  let parts: string[];
  try {
    parts = trimmed.split('/').slice(1).map((p) => decodeURIComponent(p));
  } catch {
    throw invalidResourceId(rawPath);
  }
  if (parts.length < 2 || parts[0]?.toLowerCase() !== 'subscriptions') {
    throw new ArmHttpError(404, 'InvalidRequestUri', `The request URI '${rawPath}' is not valid: it does not address any ARM resource.`);
  }
  if (parts.some((p) => p === '' || !SAFE_SEGMENT.test(p))) throw invalidResourceId(rawPath);
  const subscriptionId = parts[1] as string;
  let index = 2;
  let resourceGroup: string | undefined;
  if (parts[index]?.toLowerCase() === 'resourcegroups') {
    resourceGroup = parts[index + 1];
    if (resourceGroup === undefined) throw invalidResourceId(rawPath);
    index += 2;
  }
  let provider: string | undefined;
  if (index < parts.length) {
    if (parts[index]?.toLowerCase() !== 'providers' || parts[index + 1] === undefined) throw invalidResourceId(rawPath);
    provider = parts[index + 1];
    index += 2;
  }
  return { subscriptionId, resourceGroup, provider, segments: parts.slice(index) };
}

export function invalidResourceId(id: string): ArmHttpError {
  return new ArmHttpError(400, 'InvalidResourceId', `Resource id '${id}' is invalid.`);
}

/** The id the request addresses: the path up to the last named resource (drops a trailing collection or action). */
export function addressedResourceId(path: string, parsed: ArmPath): string {
  if (parsed.segments.length % 2 === 0) return path.replace(/\/+$/, '');
  return path.replace(/\/+$/, '').replace(/\/[^/]+$/, '');
}

/** The resource type chain, e.g. 'Microsoft.Web/sites/config' for sites/{n}/config/web. */
export function resourceTypeOf(parsed: ArmPath): string {
  const types = parsed.segments.filter((_, i) => i % 2 === 0 && i < parsed.segments.length - (parsed.segments.length % 2 === 1 ? 1 : 0));
  return [parsed.provider ?? '', ...types].join('/');
}

/**
 * The RBAC action a request needs, derived like ARM's operation names: read/write/delete on the type chain, and for
 * POST the last segment as an action ('Microsoft.Web/sites/config/list/action', 'Microsoft.Web/sites/restart/action').
 */
export function rbacAction(method: string, parsed: ArmPath): string {
  const segments = parsed.segments;
  if (parsed.provider === undefined) {
    const base = parsed.resourceGroup === undefined ? 'Microsoft.Resources/subscriptions' : 'Microsoft.Resources/subscriptions/resourceGroups';
    return `${base}/${method === 'DELETE' ? 'delete' : method === 'GET' || method === 'HEAD' ? 'read' : 'write'}`;
  }
  const types = segments.filter((_, i) => i % 2 === 0);
  if (method === 'POST' && segments.length % 2 === 1 && segments.length > 1) {
    const action = types.pop() as string;
    return [parsed.provider, ...types, action, 'action'].join('/');
  }
  const verb = method === 'DELETE' ? 'delete' : method === 'GET' || method === 'HEAD' ? 'read' : method === 'POST' ? 'action' : 'write';
  return [parsed.provider, ...types, verb].join('/');
}

/** The lower-cased key the store uses for an id (ARM ids are case-insensitive). */
export function idKey(id: string): string {
  return id.replace(/\/+$/, '').toLowerCase();
}

/** Last segment of an id. */
export function nameOf(id: string): string {
  return id.replace(/\/+$/, '').split('/').pop() ?? '';
}

/** Id of the parent resource (drops the last type/name pair). */
export function parentIdOf(id: string): string {
  return id.replace(/\/+$/, '').split('/').slice(0, -2).join('/');
}

/** The value after `/{segment}/` in an id, case-insensitive. */
export function segmentValue(id: string, segment: string): string | undefined {
  const parts = id.split('/');
  const index = parts.findIndex((p) => p.toLowerCase() === segment.toLowerCase());
  return index >= 0 ? parts[index + 1] : undefined;
}
