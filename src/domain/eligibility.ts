/**
 * Whether an app can move from gateway-based to regional integration, and if not, why, with a stable code.
 *
 * Decisions are taken in two passes because the plan, not the app, is the unit: apps of one plan share one
 * integration subnet per VNet, a plan may use at most two regional subnets, and the subnet must fit in the
 * VNet. `assessApp` applies what one app decides on its own; `applyPlanSubnetLimit` and `blockForAddressSpace`
 * turn the apps of a plan that cannot get a subnet into blocked decisions.
 */
import { MigratorError } from './errors.js';
import { sameLocation } from './inventory.js';
import { formatResourceId, parentVnetOf, parseResourceIdOf, resourceIdKey } from './resource-id.js';

export class UnknownGatewayVnetError extends MigratorError {
  readonly code = 'UnknownGatewayVnet';
  constructor(appId: string, vnetId: string) {
    super(`App ${appId} has a gateway connection to ${vnetId}, which the inventory does not describe; re-run the inventory with read access to that VNet.`, false, {
      details: { appId, vnetId },
    });
  }
}

export type EligibilityReason =
  | 'eligible'
  | 'slot-present'
  | 'already-regional'
  | 'no-gateway-integration'
  | 'unsupported-sku'
  | 'multiple-gateway-vnets'
  | 'cross-region-vnet'
  | 'plan-subnet-limit'
  | 'no-address-space';

/** migrate: go ahead; skip: nothing to do; blocked: a person must change something first. */
export type EligibilityOutcome = 'migrate' | 'skip' | 'blocked';

/** direct: disconnect then connect the app; slots-first: its slots move (and are verified) before production. */
export type MigrationStrategy = 'direct' | 'slots-first';

export interface EligibilityDecision {
  readonly appId: string;
  readonly eligible: boolean;
  readonly outcome: EligibilityOutcome;
  readonly reason: EligibilityReason;
  readonly message: string;
  /** Set when eligible: the VNet the regional subnet will be in. */
  readonly targetVnetId?: string;
  readonly strategy?: MigrationStrategy;
  readonly details: Readonly<Record<string, unknown>>;
}

/** App Service plan tiers that support regional integration (Basic and up, and Elastic Premium). */
const SUPPORTED_TIERS = new Set(['basic', 'standard', 'premium', 'premiumv2', 'premiumv3', 'premiumv4', 'premium0v3', 'premiummv3', 'elasticpremium']);
/**
 * Tiers this tool does not migrate. Free, Shared and Dynamic/Consumption have no VNet integration; Isolated uses its
 * own ASE networking. Flex Consumption does have VNet integration, but only regional, into a subnet delegated to
 * Microsoft.App/environments: it never has a gateway-based connection to move, and the subnets this tool creates
 * (delegated to Microsoft.Web/serverFarms) would not take it.
 */
const KNOWN_UNSUPPORTED = new Set(['free', 'shared', 'dynamic', 'consumption', 'flexconsumption', 'isolated', 'isolatedv2']);

/** A regional subnet slot count App Service enforces per plan ("App Service Plan VNET limit of 2"). */
export const REGIONAL_SUBNETS_PER_PLAN = 2;

export interface VnetFacts {
  readonly id: string;
  readonly location: string;
  readonly peerings: readonly { readonly remoteVnetId: string; readonly state: string }[];
}

export interface AppAssessmentInput {
  readonly app: {
    readonly id: string;
    readonly location: string;
    readonly slots: readonly string[];
    readonly regionalSubnetId: string | null;
    readonly gatewayVnetIds: readonly string[];
  };
  readonly plan: { readonly id: string; readonly sku: { readonly name: string; readonly tier: string } };
  /** Every VNet known to the inventory (gateway VNets and candidates to peer with). */
  readonly vnets: readonly VnetFacts[];
}

function blocked(appId: string, reason: EligibilityReason, message: string, details: Record<string, unknown>): EligibilityDecision {
  return { appId, eligible: false, outcome: 'blocked', reason, message, details };
}

function skipped(appId: string, reason: EligibilityReason, message: string, details: Record<string, unknown>): EligibilityDecision {
  return { appId, eligible: false, outcome: 'skip', reason, message, details };
}

interface PeeringLink {
  readonly vnet: VnetFacts;
  readonly connected: boolean;
  readonly states: readonly string[];
}

/** In-region VNets with a peering to `gateway` (from either side), and whether any side reports it Connected. */
function inRegionPeers(gateway: VnetFacts, location: string, vnets: readonly VnetFacts[]): PeeringLink[] {
  const gatewayKey = resourceIdKey(gateway.id);
  return vnets
    .filter((v) => sameLocation(v.location, location) && resourceIdKey(v.id) !== gatewayKey)
    .map((vnet) => {
      const vnetKey = resourceIdKey(vnet.id);
      const states = [
        ...vnet.peerings.filter((p) => resourceIdKey(p.remoteVnetId) === gatewayKey).map((p) => p.state),
        ...gateway.peerings.filter((p) => resourceIdKey(p.remoteVnetId) === vnetKey).map((p) => p.state),
      ];
      return { vnet, states, connected: states.some((s) => s.toLowerCase() === 'connected') };
    })
    .filter((link) => link.states.length > 0)
    .sort((a, b) => resourceIdKey(a.vnet.id).localeCompare(resourceIdKey(b.vnet.id), 'en'));
}

export function assessApp(input: AppAssessmentInput): EligibilityDecision {
  const { app, plan } = input;
  if (app.regionalSubnetId !== null) {
    return skipped(app.id, 'already-regional', `Already uses regional integration (subnet ${app.regionalSubnetId}); nothing to migrate.`, {
      subnetId: app.regionalSubnetId,
    });
  }
  if (app.gatewayVnetIds.length === 0) {
    return skipped(app.id, 'no-gateway-integration', 'Has no gateway-based VNet integration; nothing to migrate.', {});
  }
  const tier = plan.sku.tier.toLowerCase();
  if (!SUPPORTED_TIERS.has(tier)) {
    const known = KNOWN_UNSUPPORTED.has(tier);
    const facts = { planId: plan.id, skuName: plan.sku.name, skuTier: plan.sku.tier };
    if (tier === 'flexconsumption') {
      return blocked(
        app.id,
        'unsupported-sku',
        `Plan ${plan.id} is ${plan.sku.tier} (${plan.sku.name}): Flex Consumption apps support only regional integration, into a ` +
          'subnet delegated to Microsoft.App/environments, never a gateway-based connection. Re-run the inventory: the gateway ' +
          'connection it reports cannot exist.',
        facts,
      );
    }
    return blocked(
      app.id,
      'unsupported-sku',
      `Plan ${plan.id} is ${plan.sku.tier} (${plan.sku.name})${known ? '' : ', a tier this tool does not know'}; regional integration ` +
        'needs Basic, Standard, Premium (v2, v3, v4) or Elastic Premium. Scale the plan up, then migrate.',
      facts,
    );
  }
  if (app.gatewayVnetIds.length > 1) {
    return blocked(
      app.id,
      'multiple-gateway-vnets',
      `Has gateway connections to ${app.gatewayVnetIds.length} VNets, but regional integration connects an app to one subnet. ` +
        'Peer the VNets and keep one connection, then migrate.',
      { gatewayVnetIds: [...app.gatewayVnetIds] },
    );
  }
  const gatewayVnetId = app.gatewayVnetIds[0] ?? '';
  const gateway = input.vnets.find((v) => resourceIdKey(v.id) === resourceIdKey(gatewayVnetId));
  // The inventory schema already refuses this; a direct caller still gets a clear error rather than a guess.
  if (gateway === undefined) throw new UnknownGatewayVnetError(app.id, gatewayVnetId);
  let targetVnetId = gateway.id;
  const notes: string[] = [];
  if (!sameLocation(gateway.location, app.location)) {
    const peers = inRegionPeers(gateway, app.location, input.vnets);
    const usable = peers.find((p) => p.connected);
    if (usable === undefined) {
      const inRegion = input.vnets.filter((v) => sameLocation(v.location, app.location)).map((v) => v.id);
      const situation =
        peers.length > 0
          ? `In-region VNet ${peers[0]?.vnet.id} is peered with it but the peering is ${peers[0]?.states.join('/')}, not Connected.`
          : inRegion.length > 0
            ? `VNets exist in ${app.location} (${inRegion.join(', ')}) but none is peered with it.`
            : `No VNet exists in ${app.location}.`;
      return blocked(
        app.id,
        'cross-region-vnet',
        `Gateway VNet ${gateway.id} is in ${gateway.location}, the app in ${app.location}: regional integration needs a VNet in ` +
          `${app.location} with global peering to it. ${situation}`,
        {
          gatewayVnetId: gateway.id,
          gatewayVnetLocation: gateway.location,
          appLocation: app.location,
          inRegionPeeredVnetId: peers[0]?.vnet.id ?? null,
          peeringStates: peers[0]?.states ?? [],
          inRegionVnetIds: inRegion,
        },
      );
    }
    targetVnetId = usable.vnet.id;
    notes.push(`Gateway VNet ${gateway.id} is in ${gateway.location}; using in-region VNet ${usable.vnet.id}, peered with it.`);
  }
  const details = { gatewayVnetId: gateway.id, targetVnetId, notes };
  if (app.slots.length > 0) {
    return {
      appId: app.id,
      eligible: true,
      outcome: 'migrate',
      reason: 'slot-present',
      strategy: 'slots-first',
      targetVnetId,
      message:
        `Eligible with the slot strategy: it has ${app.slots.length} slot(s); VNet integration is slot-specific and does not swap, ` +
        'so its slots move and are verified first, then production.',
      details: { ...details, slots: [...app.slots] },
    };
  }
  return {
    appId: app.id,
    eligible: true,
    outcome: 'migrate',
    reason: 'eligible',
    strategy: 'direct',
    targetVnetId,
    message: `Eligible: moves to a regional subnet in ${targetVnetId}.`,
    details,
  };
}

/**
 * Blocks the migrating apps of one plan whose target VNets would take the plan past its regional subnet limit.
 * VNets where the plan already has a regional subnet count against the limit but are reused, so their apps pass.
 * Which VNet should win is an owner's call, so every app needing a new subnet is blocked, not an arbitrary few.
 */
export function applyPlanSubnetLimit(
  planId: string,
  decisions: readonly EligibilityDecision[],
  existingRegionalSubnetIds: readonly string[],
): EligibilityDecision[] {
  const existingVnets = new Set(
    existingRegionalSubnetIds.map((s) => resourceIdKey(formatResourceId(parentVnetOf(parseResourceIdOf(s, 'subnet'))))),
  );
  const existingSubnets = new Set(existingRegionalSubnetIds.map((s) => resourceIdKey(s)));
  const newVnets = new Set<string>();
  for (const d of decisions) {
    if (d.eligible && d.targetVnetId !== undefined && !existingVnets.has(resourceIdKey(d.targetVnetId))) {
      newVnets.add(resourceIdKey(d.targetVnetId));
    }
  }
  const total = existingSubnets.size + newVnets.size;
  if (total <= REGIONAL_SUBNETS_PER_PLAN) return [...decisions];
  const targets = [...new Set(decisions.filter((d) => d.eligible).map((d) => d.targetVnetId ?? ''))].sort();
  return decisions.map((d) =>
    d.eligible && d.targetVnetId !== undefined && newVnets.has(resourceIdKey(d.targetVnetId))
      ? blocked(
          d.appId,
          'plan-subnet-limit',
          `Plan ${planId} would need ${total} regional subnets (${existingSubnets.size} in use, ${newVnets.size} new for ` +
            `${targets.join(', ')}) but a plan may use ${REGIONAL_SUBNETS_PER_PLAN}. Consolidate the plan's apps onto ` +
            `${REGIONAL_SUBNETS_PER_PLAN} VNets (peer the others) or move some apps to another plan.`,
          { planId, limit: REGIONAL_SUBNETS_PER_PLAN, subnetsNeeded: total, existingRegionalSubnetIds: [...existingRegionalSubnetIds], targetVnetIds: targets },
        )
      : d,
  );
}

/**
 * Blocks an app because its target VNet has neither a reusable subnet nor room for a new one of the needed size.
 * When the plan needs a subnet larger than the tool plans (`largestPlannablePrefix`), that is the cause whatever
 * the VNet has free, and the message says so instead of claiming there is no room.
 */
export function blockForAddressSpace(
  decision: EligibilityDecision,
  facts: {
    readonly vnetId: string;
    readonly prefixLength: number;
    readonly freeRanges: readonly string[];
    readonly tooLarge?: { readonly addressesNeeded: number; readonly largestPlannablePrefix: number };
  },
): EligibilityDecision {
  const common = { vnetId: facts.vnetId, prefixLength: facts.prefixLength, freeRanges: [...facts.freeRanges] };
  if (facts.tooLarge !== undefined) {
    return blocked(
      decision.appId,
      'no-address-space',
      `The plan needs ${facts.tooLarge.addressesNeeded} addresses, a /${facts.prefixLength} subnet, larger than the ` +
        `/${facts.tooLarge.largestPlannablePrefix} this tool plans in VNet ${facts.vnetId}. Check the plan's worker maximums, ` +
        'or split its apps across plans.',
      { ...common, ...facts.tooLarge },
    );
  }
  return blocked(
    decision.appId,
    'no-address-space',
    `VNet ${facts.vnetId} has no reusable integration subnet and no free /${facts.prefixLength} for a new one ` +
      `(free ranges: ${facts.freeRanges.length === 0 ? 'none' : facts.freeRanges.join(', ')}). Add an address prefix to the VNet ` +
      'or free a subnet.',
    common,
  );
}
