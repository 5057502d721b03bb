/**
 * App Service's hold on a subnet, as Network shows it: the service association link (SAL) `AppServiceLink`, present
 * while any app of a plan is integrated with the subnet. Two platform behaviours a migration must survive go beyond
 * what the apps' state alone shows, and are kept here, beside the store:
 *
 * - **The join lease.** A regional join takes the subnet's ServiceAssociationLinkLease for `subnetJoinLeaseMs` of
 *   simulated time; another app joining the same subnet inside that window is refused with 409 and ExtendedCode
 *   70006 "Failed to acquire ServiceAssociationLinkLease. Another thread or instance may be holding it." (real
 *   Azure's answer to two joins of one subnet at the same moment). The same app joining again is no conflict.
 * - **The lingering link.** After the last app of a plan leaves a subnet the link can stay for a while
 *   (`serviceAssociationLinkLingerMs`): the subnet still shows it and Network refuses to delete the subnet
 *   (InUseSubnetCannotBeDeleted) until it expires or POST .../locations/{l}/purgeUnusedVirtualNetworkIntegration
 *   clears it.
 *
 * Both default to 0 (off). Changes register undo steps with the store, so a refused request leaves them untouched.
 */
import { ArmHttpError } from '../arm-error.js';
import { normalizeLocation, objectBody } from '../arm-helpers.js';
import { idKey, parentIdOf } from '../resource-path.js';
import type { ArmCall, ArmResult, SimulatorContext } from '../router.js';
import type { ResourceStore, StoredResource } from '../store.js';
import { planOfApp, plansInSubnet, subnetOfApp } from './integration-index.js';

/** App Service's ExtendedCode and message for a join refused because another join holds the subnet's lease. */
export const SAL_LEASE_EXTENDED_CODE = '70006';
export const SAL_LEASE_MESSAGE = 'Failed to acquire ServiceAssociationLinkLease. Another thread or instance may be holding it.';
/** What App Service answers (200, a JSON string) when purgeUnusedVirtualNetworkIntegration is done. */
export const PURGE_RESPONSE = 'Purged unused virtual network integration';

interface Lease {
  readonly appKey: string;
  readonly appId: string;
  readonly until: number;
}

export interface LingeringLink {
  readonly subnetId: string;
  readonly planId: string;
  /** Simulated ms when the last app of the plan left. */
  readonly since: number;
  /** Simulated ms when the link disappears by itself. */
  readonly until: number;
}

/** Leases and lingering links, by lower-cased subnet id. */
export class ServiceAssociationLinkState {
  private readonly leases = new Map<string, Lease>();
  /** Subnet key → plan key → lingering link. */
  private readonly lingering = new Map<string, Map<string, LingeringLink>>();

  constructor(private readonly store: ResourceStore) {}

  /** The lease on the subnet, if one is still held at `now`. */
  leaseOn(subnetId: string, now: number): Lease | undefined {
    const lease = this.leases.get(idKey(subnetId));
    return lease !== undefined && lease.until > now ? lease : undefined;
  }

  setLease(subnetId: string, app: StoredResource, until: number): void {
    const key = idKey(subnetId);
    const previous = this.leases.get(key);
    this.leases.set(key, { appKey: idKey(app.id), appId: app.id, until });
    this.store.onRollback(() => (previous === undefined ? this.leases.delete(key) : this.leases.set(key, previous)));
  }

  /** Links still lingering on the subnet at `now`, oldest departure first. */
  lingeringOn(subnetId: string, now: number): LingeringLink[] {
    return [...(this.lingering.get(idKey(subnetId))?.values() ?? [])].filter((l) => l.until > now).sort((a, b) => a.since - b.since);
  }

  /** Every link lingering at `now`. */
  allLingering(now: number): LingeringLink[] {
    return [...this.lingering.keys()].flatMap((subnetKey) => this.lingeringOn(subnetKey, now));
  }

  addLingering(link: LingeringLink): void {
    this.replace(link.subnetId, link.planId, link);
  }

  removeLingering(subnetId: string, planId: string): void {
    if (this.lingering.get(idKey(subnetId))?.has(idKey(planId)) === true) this.replace(subnetId, planId, undefined);
  }

  clear(): void {
    this.leases.clear();
    this.lingering.clear();
  }

  private replace(subnetId: string, planId: string, link: LingeringLink | undefined): void {
    const subnetKey = idKey(subnetId);
    const planKey = idKey(planId);
    const previous = this.lingering.get(subnetKey)?.get(planKey);
    this.write(subnetKey, planKey, link);
    this.store.onRollback(() => this.write(subnetKey, planKey, previous));
  }

  private write(subnetKey: string, planKey: string, link: LingeringLink | undefined): void {
    let byPlan = this.lingering.get(subnetKey);
    if (link === undefined) {
      byPlan?.delete(planKey);
      if (byPlan?.size === 0) this.lingering.delete(subnetKey);
      return;
    }
    if (byPlan === undefined) {
      byPlan = new Map();
      this.lingering.set(subnetKey, byPlan);
    }
    byPlan.set(planKey, link);
  }
}

/**
 * The link App Service keeps on a subnet: to the (first) plan with an app integrated there, else to a plan whose
 * link still lingers after its last app left.
 */
export function serviceAssociationLinks(ctx: SimulatorContext, subnetId: string): Record<string, unknown>[] {
  const plan = plansInSubnet(ctx.store, subnetId)[0] ?? ctx.links.lingeringOn(subnetId, ctx.clock.now())[0]?.planId;
  if (plan === undefined) return [];
  return [
    {
      name: 'AppServiceLink',
      id: `${subnetId}/serviceAssociationLinks/AppServiceLink`,
      etag: 'W/"00000000-0000-0000-0000-000000000000"',
      type: 'Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks',
      properties: {
        linkedResourceType: 'Microsoft.Web/serverfarms',
        link: plan,
        enabledForArmDeployments: false,
        allowDelete: false,
        locations: [normalizeLocation(ctx.store.get(parentIdOf(subnetId))?.location)],
        provisioningState: 'Succeeded',
      },
    },
  ];
}

/**
 * Takes the subnet's join lease for the app, or refuses the join (409, ExtendedCode 70006) while another app holds
 * it. Called after every other join rule has passed, before anything is written.
 */
export function acquireJoinLease(ctx: SimulatorContext, app: StoredResource, subnetId: string): void {
  const leaseMs = ctx.settings.subnetJoinLeaseMs;
  if (!(leaseMs > 0)) return;
  const now = ctx.clock.now();
  const held = ctx.links.leaseOn(subnetId, now);
  if (held !== undefined && held.appKey !== idKey(app.id)) {
    throw new ArmHttpError(409, SAL_LEASE_EXTENDED_CODE, SAL_LEASE_MESSAGE, 'web');
  }
  ctx.links.setLease(subnetId, app, now + leaseMs);
}

/** The (subnet, plan) pairs the apps' regional integrations hold, to compare after a write that may end them. */
export function heldLinks(apps: readonly StoredResource[]): { subnetId: string; planId: string }[] {
  return apps.flatMap((app) => {
    const subnetId = subnetOfApp(app);
    const planId = planOfApp(app);
    return subnetId === undefined || planId === undefined ? [] : [{ subnetId, planId }];
  });
}

/**
 * After a write: every pair in `before` whose plan has no app left in the subnet keeps its link lingering for
 * `serviceAssociationLinkLingerMs` (nothing when 0). A plan with an app in the subnet again drops its lingering link.
 */
export function lingerDepartedLinks(ctx: SimulatorContext, before: readonly { subnetId: string; planId: string }[]): void {
  const lingerMs = ctx.settings.serviceAssociationLinkLingerMs;
  const now = ctx.clock.now();
  for (const { subnetId, planId } of before) {
    if (plansInSubnet(ctx.store, subnetId).some((p) => idKey(p) === idKey(planId))) continue;
    if (lingerMs > 0) ctx.links.addLingering({ subnetId, planId, since: now, until: now + lingerMs });
  }
}

/** A plan whose app joined the subnet again holds it through the live link; its lingering one is gone. */
export function rejoined(ctx: SimulatorContext, subnetId: string, planId: string): void {
  ctx.links.removeLingering(subnetId, planId);
}

/**
 * POST /subscriptions/{s}/providers/Microsoft.Web/locations/{l}/purgeUnusedVirtualNetworkIntegration: clears the
 * lingering links of plans that have no app left in the subnet, for subnets of that subscription whose VNet is in
 * that location; with `{subnetResourceId}` in the body (what terraform's cleaner sends), only that subnet's. The
 * operation is not in the REST specs nor in @azure/arm-appservice 19.x; its route, body and answer (200 with the JSON
 * string "Purged unused virtual network integration") come from public callers of the real service.
 */
export function purgeUnusedVirtualNetworkIntegration(call: ArmCall): ArmResult {
  const { ctx } = call;
  const body = objectBody(call);
  const requested = body['subnetResourceId'];
  if (requested !== undefined && requested !== null && typeof requested !== 'string') {
    throw new ArmHttpError(400, 'BadRequest', 'The parameter subnetResourceId must be a subnet resource id.', 'web');
  }
  const only = typeof requested === 'string' && requested !== '' ? idKey(requested) : undefined;
  const subscription = `/subscriptions/${(call.params['sub'] ?? '').toLowerCase()}/`;
  const location = normalizeLocation(call.params['location']);
  for (const link of ctx.links.allLingering(ctx.clock.now())) {
    const subnetKey = idKey(link.subnetId);
    if (only !== undefined && subnetKey !== only) continue;
    if (!subnetKey.startsWith(subscription)) continue;
    if (normalizeLocation(ctx.store.get(parentIdOf(link.subnetId))?.location) !== location) continue;
    if (plansInSubnet(ctx.store, link.subnetId).some((p) => idKey(p) === idKey(link.planId))) continue;
    ctx.links.removeLingering(link.subnetId, link.planId);
  }
  return { status: 200, body: PURGE_RESPONSE };
}

