/**
 * Turns an inventory into a migration plan: per App Service plan, the target VNet and subnet, and the ordered
 * steps for each app; plus every app that is skipped or blocked, with its reason.
 *
 * The output is plain JSON and a pure function of the inventory: everything is sorted by ARM identity before it
 * is used, so a re-read inventory listing resources in another order plans exactly the same subnets. Subnet
 * allocations are tracked across the whole build, so two plans never receive overlapping prefixes.
 */
import { AddressAllocator, AddressSpaceExhaustedError } from './address-allocator.js';
import { formatCidr, parseCidr, parseIpv4Address, type Cidr } from './cidr.js';
import {
  applyPlanSubnetLimit,
  assessApp,
  blockForAddressSpace,
  type EligibilityDecision,
  type EligibilityOutcome,
  type EligibilityReason,
  type MigrationStrategy,
} from './eligibility.js';
import type { Inventory, InventoryApp, InventoryPlan, InventorySubnet, InventoryVnet } from './inventory.js';
import {
  compareResourceIds,
  formatResourceId,
  parentVnetOf,
  parseResourceId,
  parseResourceIdOf,
  resourceIdKey,
  subnetIn,
} from './resource-id.js';
import { planRouting, type NsgRule, type RoutingPlan } from './routing.js';
import { SubnetTooLargeError, sizeIntegrationSubnet, type SubnetSizing } from './subnet-sizing.js';

export const WEB_DELEGATION = 'Microsoft.Web/serverFarms';
/** ARM's subnet name limit. */
export const SUBNET_NAME_MAX_LENGTH = 80;

export interface PlanBuildOptions {
  /** Microsoft.Web api-version the site writes will use; decides the routing property shape. */
  readonly apiVersion: string;
}

export type MigrationStep =
  | { readonly kind: 'snapshot'; readonly appId: string }
  | {
      readonly kind: 'ensure-subnet';
      readonly action: 'create' | 'reuse';
      readonly vnetId: string;
      readonly subnetId: string;
      readonly addressPrefix: string | null;
      readonly delegation: typeof WEB_DELEGATION;
    }
  | { readonly kind: 'apply-routing'; readonly appId: string; readonly siteProperties: RoutingPlan['siteProperties'] }
  | { readonly kind: 'disconnect-gateway'; readonly appId: string; readonly vnetId: string; readonly connectionName: string }
  | { readonly kind: 'connect-regional'; readonly appId: string; readonly subnetId: string }
  | { readonly kind: 'verify'; readonly appId: string; readonly subnetId: string; readonly siteProperties: RoutingPlan['siteProperties'] }
  | { readonly kind: 'remove-legacy-settings'; readonly appId: string; readonly names: readonly string[] };

export interface SubnetAssignment {
  readonly vnetId: string;
  readonly subnetId: string;
  readonly name: string;
  /** Null only when reusing a subnet the plan already uses but the inventory does not describe. */
  readonly addressPrefix: string | null;
  /** create: a new subnet; reuse: an existing empty delegated subnet or the one the plan already integrates with. */
  readonly action: 'create' | 'reuse';
  readonly sizing: SubnetSizing;
  readonly reason: string;
}

export interface AppMigration {
  readonly appId: string;
  readonly reason: EligibilityReason;
  readonly strategy: MigrationStrategy;
  /** Apps (this app's slots) whose migration must finish and verify before this one starts. */
  readonly dependsOn: readonly string[];
  readonly gatewayVnetId: string;
  readonly targetVnetId: string;
  readonly subnetId: string;
  readonly routing: RoutingPlan;
  readonly notes: readonly string[];
  readonly steps: readonly MigrationStep[];
}

export interface PlanGroup {
  readonly planId: string;
  readonly location: string;
  readonly sku: { readonly name: string; readonly tier: string };
  readonly subnets: readonly SubnetAssignment[];
  readonly apps: readonly AppMigration[];
}

export interface SkippedApp {
  readonly appId: string;
  readonly planId: string;
  readonly outcome: Exclude<EligibilityOutcome, 'migrate'>;
  readonly reason: EligibilityReason;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface MigrationPlan {
  readonly apiVersion: string;
  readonly groups: readonly PlanGroup[];
  readonly skipped: readonly SkippedApp[];
  readonly summary: { readonly migrate: number; readonly skip: number; readonly blocked: number };
}

const byId = <T extends { readonly id: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => compareResourceIds(a.id, b.id));

/** Site id of an app entry: itself for a site, its parent for a slot. Slots sort just before their site. */
function executionKey(app: InventoryApp): [string, number, string] {
  const parsed = parseResourceId(app.id);
  if (parsed.kind === 'slot') {
    const site = formatResourceId({ kind: 'site', subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, name: parsed.site });
    return [site.toLowerCase(), 0, app.id.toLowerCase()];
  }
  return [app.id.toLowerCase(), 1, app.id.toLowerCase()];
}

function compareExecution(a: InventoryApp, b: InventoryApp): number {
  const ka = executionKey(a);
  const kb = executionKey(b);
  return ka[0] < kb[0] ? -1 : ka[0] > kb[0] ? 1 : ka[1] - kb[1] || compareResourceIds(a.id, b.id);
}

function isWebDelegatedAndFree(subnet: InventorySubnet): boolean {
  return (
    subnet.delegations.length === 1 &&
    subnet.delegations[0]?.toLowerCase() === WEB_DELEGATION.toLowerCase() &&
    subnet.serviceAssociationLinks.length === 0 &&
    !subnet.inUse
  );
}

/**
 * `asp-<plan>-integration`, made a valid subnet name (letters, digits, '.', '-', '_'; max 80) and unique in its VNet.
 * Plan names may be Unicode (ARM maps them to Punycode); accents are dropped ('Prödüktion' → 'produktion'), other
 * characters become one '-' per run, and a short hash of the real name is added whenever anything was replaced, so
 * '東京' does not become 'asp----integration' and two such plans do not read alike.
 */
function newSubnetName(planName: string, taken: ReadonlySet<string>): string {
  const lower = planName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const replaced = lower.replace(/[^a-z0-9._-]+/g, '-');
  const cleaned = replaced === lower ? lower : `${replaced.replace(/^[-.]+|[-.]+$/g, '')}-${shortHash(planName)}`.replace(/^-/, '');
  for (let attempt = 1; ; attempt += 1) {
    const suffix = attempt === 1 ? '-integration' : `-integration-${attempt}`;
    const base = `asp-${cleaned}`.slice(0, SUBNET_NAME_MAX_LENGTH - suffix.length);
    const name = `${base}${suffix}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** 6 hex digits of FNV-1a over the UTF-16 units: stable across runs and platforms, no I/O. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').slice(0, 6);
}

/** State shared by all plans of one build: allocators and claimed subnets, so no two plans collide. */
class AddressBook {
  private readonly allocators = new Map<string, AddressAllocator>();
  private readonly claimed = new Set<string>();
  private readonly names = new Map<string, Set<string>>();

  allocatorFor(vnet: InventoryVnet): AddressAllocator {
    const key = resourceIdKey(vnet.id);
    let allocator = this.allocators.get(key);
    if (allocator === undefined) {
      allocator = new AddressAllocator(vnet.addressPrefixes.map(parseCidr), vnet.subnets.map((s) => parseCidr(s.addressPrefix)));
      this.allocators.set(key, allocator);
    }
    return allocator;
  }

  namesIn(vnet: InventoryVnet): Set<string> {
    const key = resourceIdKey(vnet.id);
    let names = this.names.get(key);
    if (names === undefined) {
      names = new Set(vnet.subnets.map((s) => parseResourceIdOf(s.id, 'subnet').name.toLowerCase()));
      this.names.set(key, names);
    }
    return names;
  }

  isClaimed(subnetId: string): boolean {
    return this.claimed.has(resourceIdKey(subnetId));
  }

  claim(subnetId: string): void {
    this.claimed.add(resourceIdKey(subnetId));
  }
}

interface Lookup {
  readonly vnets: ReadonlyMap<string, InventoryVnet>;
  readonly subnets: ReadonlyMap<string, InventorySubnet>;
  readonly nsgRules: ReadonlyMap<string, readonly NsgRule[]>;
}

function chooseSubnet(
  plan: InventoryPlan,
  vnet: InventoryVnet,
  sizing: SubnetSizing,
  existingPlanSubnetIds: readonly string[],
  lookup: Lookup,
  book: AddressBook,
): SubnetAssignment {
  const vnetKey = resourceIdKey(vnet.id);
  const planName = parseResourceIdOf(plan.id, 'serverFarm').name;
  const current = existingPlanSubnetIds.find((s) => resourceIdKey(parentVnetOf(parseResourceIdOf(s, 'subnet'))) === vnetKey);
  if (current !== undefined) {
    book.claim(current);
    return {
      vnetId: vnet.id,
      subnetId: current,
      name: parseResourceIdOf(current, 'subnet').name,
      addressPrefix: lookup.subnets.get(resourceIdKey(current))?.addressPrefix ?? null,
      action: 'reuse',
      sizing,
      reason: `Plan ${planName} already integrates other apps with this subnet; apps of one plan share one subnet per VNet.`,
    };
  }
  const reusable = vnet.subnets
    .filter((s) => isWebDelegatedAndFree(s) && !book.isClaimed(s.id))
    .map((s) => ({ subnet: s, cidr: parseCidr(s.addressPrefix) }))
    .filter(({ cidr }) => cidr.prefixLength <= sizing.prefixLength)
    // Tightest fit first, so larger empty subnets stay free for plans that need them.
    .sort((a, b) => b.cidr.prefixLength - a.cidr.prefixLength || a.cidr.network - b.cidr.network || compareResourceIds(a.subnet.id, b.subnet.id));
  const pick = reusable[0];
  if (pick !== undefined) {
    book.claim(pick.subnet.id);
    return {
      vnetId: vnet.id,
      subnetId: pick.subnet.id,
      name: parseResourceIdOf(pick.subnet.id, 'subnet').name,
      addressPrefix: pick.subnet.addressPrefix,
      action: 'reuse',
      sizing,
      reason: `Reusing empty subnet ${pick.subnet.addressPrefix}, delegated to ${WEB_DELEGATION} and at least /${sizing.prefixLength}.`,
    };
  }
  const block: Cidr = book.allocatorFor(vnet).allocate(sizing.prefixLength);
  const names = book.namesIn(vnet);
  const name = newSubnetName(planName, names);
  names.add(name.toLowerCase());
  const subnetId = formatResourceId(subnetIn(parseResourceIdOf(vnet.id, 'virtualNetwork'), name));
  book.claim(subnetId);
  return {
    vnetId: vnet.id,
    subnetId,
    name,
    addressPrefix: formatCidr(block),
    action: 'create',
    sizing,
    reason: `No empty ${WEB_DELEGATION} subnet of /${sizing.prefixLength} or larger: creating ${formatCidr(block)}, the lowest free aligned block.`,
  };
}

function skippedFrom(decision: EligibilityDecision, planId: string): SkippedApp {
  return {
    appId: decision.appId,
    planId,
    outcome: decision.outcome === 'skip' ? 'skip' : 'blocked',
    reason: decision.reason,
    message: decision.message,
    details: decision.details,
  };
}

export function buildMigrationPlan(inventory: Inventory, options: PlanBuildOptions): MigrationPlan {
  const vnets = byId(inventory.virtualNetworks);
  const lookup: Lookup = {
    vnets: new Map(vnets.map((v) => [resourceIdKey(v.id), v])),
    subnets: new Map(vnets.flatMap((v) => v.subnets.map((s) => [resourceIdKey(s.id), s] as const))),
    nsgRules: new Map(inventory.networkSecurityGroups.map((n) => [resourceIdKey(n.id), n.rules])),
  };
  const vnetFacts = vnets.map((v) => ({ id: v.id, location: v.location, peerings: byId(v.peerings) }));
  const book = new AddressBook();
  const groups: PlanGroup[] = [];
  const skipped: SkippedApp[] = [];

  const appsByPlan = new Map<string, InventoryApp[]>();
  for (const app of inventory.apps) {
    const key = resourceIdKey(app.planId);
    const list = appsByPlan.get(key);
    if (list === undefined) appsByPlan.set(key, [app]);
    else list.push(app);
  }

  for (const plan of byId(inventory.plans)) {
    const apps = [...(appsByPlan.get(resourceIdKey(plan.id)) ?? [])].sort(compareExecution);
    const existingSubnets = [...new Map(apps.flatMap((a) => (a.regionalSubnetId === null ? [] : [[resourceIdKey(a.regionalSubnetId), a.regionalSubnetId] as const]))).values()].sort(compareResourceIds);
    const assessed = apps.map((app) =>
      assessApp({
        app: {
          id: app.id,
          location: app.location,
          slots: [...app.slots].sort(compareResourceIds),
          regionalSubnetId: app.regionalSubnetId,
          gatewayVnetIds: [...new Set(app.gatewayConnections.map((c) => c.vnetId))].sort(compareResourceIds),
        },
        plan,
        vnets: vnetFacts,
      }),
    );
    let decisions = applyPlanSubnetLimit(plan.id, assessed, existingSubnets);

    const windowsContainerApps = apps.filter((a) => a.hyperV).length;
    const targetKeys = [...new Set(decisions.flatMap((d) => (d.eligible && d.targetVnetId !== undefined ? [resourceIdKey(d.targetVnetId)] : [])))].sort();
    const assignments = new Map<string, SubnetAssignment>();
    for (const targetKey of targetKeys) {
      const vnet = lookup.vnets.get(targetKey);
      if (vnet === undefined) continue; // assessApp only targets VNets from the inventory
      let blockedBy: { prefixLength: number; freeRanges: string[]; tooLarge?: { addressesNeeded: number; largestPlannablePrefix: number } } | undefined;
      try {
        const sizing = sizeIntegrationSubnet({
          plans: [
            {
              planId: parseResourceIdOf(plan.id, 'serverFarm').name,
              skuTier: plan.sku.tier,
              maximumNumberOfWorkers: plan.maximumNumberOfWorkers,
              maximumElasticWorkerCount: plan.maximumElasticWorkerCount,
              windowsContainerApps,
            },
          ],
        });
        assignments.set(targetKey, chooseSubnet(plan, vnet, sizing, existingSubnets, lookup, book));
      } catch (error) {
        // One plan that cannot get a subnet must not stop the rest of the fleet from being planned.
        if (error instanceof AddressSpaceExhaustedError) {
          blockedBy = {
            prefixLength: Number(error.details?.['prefixLength']),
            freeRanges: (error.details?.['freeRanges'] as string[] | undefined) ?? [],
          };
        } else if (error instanceof SubnetTooLargeError) {
          blockedBy = {
            prefixLength: Number(error.details?.['prefixLength']),
            freeRanges: book.allocatorFor(vnet).freeRanges().map(formatCidr),
            tooLarge: { addressesNeeded: Number(error.details?.['addressesNeeded']), largestPlannablePrefix: Number(error.details?.['largestPlannablePrefix']) },
          };
        } else {
          throw error;
        }
      }
      if (blockedBy !== undefined) {
        const facts = { vnetId: vnet.id, ...blockedBy };
        decisions = decisions.map((d) =>
          d.eligible && d.targetVnetId !== undefined && resourceIdKey(d.targetVnetId) === targetKey ? blockForAddressSpace(d, facts) : d,
        );
      }
    }

    const migrating = new Set(decisions.filter((d) => d.eligible).map((d) => resourceIdKey(d.appId)));
    const ensured = new Set<string>();
    const appPlans: AppMigration[] = [];
    decisions.forEach((decision, index) => {
      const app = apps[index];
      if (app === undefined) return;
      if (!decision.eligible || decision.targetVnetId === undefined) {
        skipped.push(skippedFrom(decision, plan.id));
        return;
      }
      const assignment = assignments.get(resourceIdKey(decision.targetVnetId));
      if (assignment === undefined) return; // unreachable: every eligible target got an assignment or was blocked
      const connection = app.gatewayConnections[0];
      if (connection === undefined) return; // unreachable: eligible apps have exactly one gateway VNet
      const gatewayVnet = lookup.vnets.get(resourceIdKey(connection.vnetId));
      const planRoutes = plan.vnetRoutes.filter((r) => resourceIdKey(r.vnetId) === resourceIdKey(connection.vnetId)).flatMap((r) => r.routes);
      const reusedSubnet = lookup.subnets.get(resourceIdKey(assignment.subnetId));
      const nsgId = assignment.action === 'reuse' ? (reusedSubnet?.networkSecurityGroupId ?? null) : null;
      const notes = [...((decision.details['notes'] as string[] | undefined) ?? [])];
      const nsgRules = nsgId === null ? null : (lookup.nsgRules.get(resourceIdKey(nsgId)) ?? null);
      if (nsgId !== null && nsgRules === null) notes.push(`NSG ${nsgId} on the target subnet is not in the inventory; its rules were not checked.`);
      const routing = planRouting({
        apiVersion: options.apiVersion,
        legacySettings: app.routingSettings,
        appSettingNames: app.appSettingNames,
        gatewayRoutes: [...connection.routes, ...planRoutes].sort(
          (a, b) => parseIpv4Address(a.startAddress) - parseIpv4Address(b.startAddress) || parseIpv4Address(a.endAddress) - parseIpv4Address(b.endAddress),
        ),
        gatewayVnetAddressPrefixes: gatewayVnet?.addressPrefixes ?? [],
        subnetNsgRules: nsgRules,
      });
      const steps: MigrationStep[] = [{ kind: 'snapshot', appId: app.id }];
      const subnetKey = resourceIdKey(assignment.subnetId);
      if (!ensured.has(subnetKey)) {
        ensured.add(subnetKey);
        steps.push({
          kind: 'ensure-subnet',
          action: assignment.action,
          vnetId: assignment.vnetId,
          subnetId: assignment.subnetId,
          addressPrefix: assignment.addressPrefix,
          delegation: WEB_DELEGATION,
        });
      }
      steps.push(
        { kind: 'apply-routing', appId: app.id, siteProperties: routing.siteProperties },
        { kind: 'disconnect-gateway', appId: app.id, vnetId: connection.vnetId, connectionName: parseResourceIdOf(connection.vnetId, 'virtualNetwork').name },
        { kind: 'connect-regional', appId: app.id, subnetId: assignment.subnetId },
        { kind: 'verify', appId: app.id, subnetId: assignment.subnetId, siteProperties: routing.siteProperties },
      );
      if (routing.legacySettingsToRemove.length > 0) {
        steps.push({ kind: 'remove-legacy-settings', appId: app.id, names: routing.legacySettingsToRemove });
      }
      appPlans.push({
        appId: app.id,
        reason: decision.reason,
        strategy: decision.strategy ?? 'direct',
        dependsOn: [...app.slots].filter((s) => migrating.has(resourceIdKey(s))).sort(compareResourceIds),
        gatewayVnetId: connection.vnetId,
        targetVnetId: decision.targetVnetId,
        subnetId: assignment.subnetId,
        routing,
        notes,
        steps,
      });
    });
    if (appPlans.length > 0) {
      const used = new Set(appPlans.map((a) => resourceIdKey(a.subnetId)));
      groups.push({
        planId: plan.id,
        location: plan.location,
        sku: { name: plan.sku.name, tier: plan.sku.tier },
        subnets: [...assignments.values()].filter((s) => used.has(resourceIdKey(s.subnetId))),
        apps: appPlans,
      });
    }
  }

  skipped.sort((a, b) => compareResourceIds(a.appId, b.appId));
  const migrate = groups.reduce((n, g) => n + g.apps.length, 0);
  return {
    apiVersion: options.apiVersion,
    groups,
    skipped,
    summary: { migrate, skip: skipped.filter((s) => s.outcome === 'skip').length, blocked: skipped.filter((s) => s.outcome === 'blocked').length },
  };
}
