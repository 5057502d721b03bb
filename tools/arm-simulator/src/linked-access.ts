/**
 * Linked authorization, as ARM applies it: a write whose body references another resource (a site joining a subnet,
 * a subnet attaching an NSG) needs, besides the write action on the addressed resource, a "join" action on each
 * referenced resource. ARM derives the references from the body before the resource provider sees the request, so
 * the check runs on the body as sent (an unchanged subnet id still needs the join) and ahead of every provider rule.
 *
 * Only the handlers know where a body keeps its references, so they call `ArmCall.authorizeLinked` first thing;
 * the pipeline backs it with the same RBAC evaluator the request policies use.
 */
import { ArmHttpError } from './arm-error.js';
import type { ArmRequestInfo, PolicyVerdict, RequestPolicy } from './contract.js';

/** One action the caller needs on one referenced ("linked") resource. */
export interface LinkedAccess {
  readonly action: string;
  readonly scope: string;
}

export const SUBNET_JOIN_ACTION = 'Microsoft.Network/virtualNetworks/subnets/join/action';

/** Join actions for what a subnet body can attach (ARM asks for these on subnet and VNet writes). */
export const SUBNET_REFERENCE_JOIN_ACTIONS: Readonly<Record<string, string>> = {
  networkSecurityGroup: 'Microsoft.Network/networkSecurityGroups/join/action',
  routeTable: 'Microsoft.Network/routeTables/join/action',
  natGateway: 'Microsoft.Network/natGateways/join/action',
};

/** A request policy that can also judge linked access (the RBAC policy). */
export interface LinkedAuthorizer extends RequestPolicy {
  authorizeLinked(request: ArmRequestInfo, links: readonly LinkedAccess[]): PolicyVerdict;
}

export function isLinkedAuthorizer(policy: RequestPolicy): policy is LinkedAuthorizer {
  return typeof (policy as Partial<LinkedAuthorizer>).authorizeLinked === 'function';
}

/** What a handler calls with the references it found in the body; throws the 403 when one is not allowed. */
export type AuthorizeLinked = (links: readonly LinkedAccess[]) => void;

/** For callers without a principal (scenario seeding): nothing to check. */
export const SKIP_LINKED_AUTHORIZATION: AuthorizeLinked = () => undefined;

/** The check for one request against the policies in force for it (none of them RBAC: everything passes). */
export function linkedAuthorizationFor(policies: readonly RequestPolicy[], request: ArmRequestInfo): AuthorizeLinked {
  const authorizers = policies.filter(isLinkedAuthorizer);
  if (authorizers.length === 0) return SKIP_LINKED_AUTHORIZATION;
  return (links) => {
    if (links.length === 0) return;
    for (const authorizer of authorizers) {
      const verdict = authorizer.authorizeLinked(request, links);
      if (verdict.kind !== 'respond') continue;
      const body = verdict.body as { error?: { code?: unknown; message?: unknown } } | undefined;
      throw new ArmHttpError(
        verdict.status,
        typeof body?.error?.code === 'string' ? body.error.code : 'LinkedAuthorizationFailed',
        typeof body?.error?.message === 'string' ? body.error.message : 'Linked authorization failed.',
        'arm',
        verdict.headers ?? {},
      );
    }
  };
}

/** The subnet a regional-integration body asks to join, when it names one (an empty id means leaving). */
export function subnetJoin(subnetId: unknown): LinkedAccess[] {
  return typeof subnetId === 'string' && subnetId !== '' ? [{ action: SUBNET_JOIN_ACTION, scope: subnetId }] : [];
}

/** The NSG, route table and NAT gateway a subnet body attaches, each needing its own join action. */
export function subnetReferenceJoins(subnetProperties: unknown): LinkedAccess[] {
  if (typeof subnetProperties !== 'object' || subnetProperties === null) return [];
  const props = subnetProperties as Record<string, unknown>;
  const links: LinkedAccess[] = [];
  for (const [property, action] of Object.entries(SUBNET_REFERENCE_JOIN_ACTIONS)) {
    const ref = props[property];
    const id = typeof ref === 'object' && ref !== null ? (ref as Record<string, unknown>)['id'] : undefined;
    if (typeof id === 'string' && id !== '') links.push({ action, scope: id });
  }
  return links;
}
