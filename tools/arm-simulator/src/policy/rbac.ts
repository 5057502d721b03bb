/**
 * Azure RBAC as ARM evaluates it for a single request: a principal may perform an action at a resource when some
 * role assignment at that resource or any scope above it ('/', subscription, resource group, parent resource) names a
 * role whose Actions match the action and whose NotActions do not. Matching is case-insensitive and '*' matches any
 * run of characters, including '/', as in Azure ('*\/read', 'Microsoft.Web/sites/*').
 */
import type { ArmRequestInfo, PolicyVerdict, RbacConfig, RequestPolicy, RoleAssignment, RoleDefinition } from '../contract.js';
import { armErrorBody } from './envelopes.js';
import { BUILT_IN_ROLES } from './builtin-roles.js';
import type { LinkedAccess, LinkedAuthorizer } from '../linked-access.js';

export class RbacConfigError extends Error {
  readonly code = 'SimulatorRbacConfigInvalid';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'RbacConfigError';
  }
}

const patternCache = new Map<string, RegExp>();

/** Whether an Actions/NotActions entry matches an operation, the way Azure compares them. */
export function actionMatches(pattern: string, action: string): boolean {
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    const body = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
    regex = new RegExp(`^${body}$`, 'i');
    patternCache.set(pattern, regex);
  }
  return regex.test(action);
}

/** Whether a role grants an action: some Action matches and no NotAction does. */
export function roleAllows(role: RoleDefinition, action: string): boolean {
  return role.actions.some((a) => actionMatches(a, action)) && !(role.notActions ?? []).some((n) => actionMatches(n, action));
}

function normaliseScope(scope: string): string {
  const trimmed = scope.trim().replace(/\/+$/, '').toLowerCase();
  return trimmed === '' ? '/' : trimmed;
}

/** Whether an assignment at `scope` applies to `resourceId` (the scope itself or anything below it). */
export function scopeCovers(scope: string, resourceId: string): boolean {
  const s = normaliseScope(scope);
  if (s === '/') return true;
  const r = normaliseScope(resourceId);
  return r === s || r.startsWith(`${s}/`);
}

export function authorizationFailedMessage(principalId: string, action: string, scope: string): string {
  return (
    `The client '${principalId}' with object id '${principalId}' does not have authorization to perform action ` +
    `'${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
  );
}

/**
 * ARM's LinkedAuthorizationFailed text (as quoted from real responses in public issues): the actions and linked
 * scopes the caller lacks, comma-separated and paired by position ("respectively").
 */
export function linkedAuthorizationFailedMessage(principalId: string, action: string, scope: string, missing: readonly LinkedAccess[]): string {
  return (
    `The client '${principalId}' with object id '${principalId}' has permission to perform action '${action}' on scope '${scope}'; ` +
    `however, it does not have permission to perform action(s) '${missing.map((m) => m.action).join(',')}' ` +
    `on the linked scope(s) '${missing.map((m) => m.scope).join(',')}' (respectively) or the linked scope(s) are invalid.`
  );
}

export interface RbacPolicy extends RequestPolicy, LinkedAuthorizer {
  /** Whether the principal may perform the action at the resource, without building a verdict. */
  isAllowed(principalId: string, action: string, resourceId: string): boolean;
}

/** The RBAC policy; built-in roles are always known and a scenario role of the same name replaces the built-in. */
export function createRbacPolicy(config: RbacConfig): RbacPolicy {
  const roles = new Map<string, RoleDefinition>();
  for (const role of [...BUILT_IN_ROLES, ...config.roles]) roles.set(role.name.toLowerCase(), role);
  const byPrincipal = new Map<string, { assignment: RoleAssignment; role: RoleDefinition }[]>();
  for (const assignment of config.assignments) {
    const role = roles.get(assignment.roleName.toLowerCase());
    if (role === undefined) {
      throw new RbacConfigError(
        `Role assignment for principal '${assignment.principalId}' at '${assignment.scope}' names unknown role '${assignment.roleName}'. ` +
          `Define it under rbac.roles or use a built-in role (${BUILT_IN_ROLES.map((r) => r.name).join(', ')}).`,
      );
    }
    const list = byPrincipal.get(assignment.principalId) ?? [];
    list.push({ assignment, role });
    byPrincipal.set(assignment.principalId, list);
  }

  const isAllowed = (principalId: string, action: string, resourceId: string): boolean =>
    (byPrincipal.get(principalId) ?? []).some(
      ({ assignment, role }) => scopeCovers(assignment.scope, resourceId) && roleAllows(role, action),
    );

  return {
    isAllowed,
    authorizeLinked(request: ArmRequestInfo, links: readonly LinkedAccess[]): PolicyVerdict {
      if (!config.enabled) return { kind: 'pass' };
      const missing = links.filter((link) => !isAllowed(request.principalId, link.action, link.scope));
      if (missing.length === 0) return { kind: 'pass' };
      return {
        kind: 'respond',
        status: 403,
        body: armErrorBody('LinkedAuthorizationFailed', linkedAuthorizationFailedMessage(request.principalId, request.action, request.resourceId, missing)),
      };
    },
    evaluate(request: ArmRequestInfo): PolicyVerdict {
      if (!config.enabled || isAllowed(request.principalId, request.action, request.resourceId)) return { kind: 'pass' };
      return {
        kind: 'respond',
        status: 403,
        body: armErrorBody('AuthorizationFailed', authorizationFailedMessage(request.principalId, request.action, request.resourceId)),
      };
    },
  };
}
