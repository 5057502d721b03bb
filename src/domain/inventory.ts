/**
 * The inventory: what the collector read from ARM, reduced to the facts planning needs, validated at the
 * boundary. Objects are strict (unknown keys are refused) so that app setting VALUES, which hold secrets, cannot
 * ride along: only setting names and the three legacy routing values are admitted.
 */
import { z } from 'zod';
import { cidrContains, formatCidr, lastAddress, parseCidr, parseIpv4Address, type Cidr } from './cidr.js';
import { MigratorError } from './errors.js';
import {
  formatResourceId,
  parentVnetOf,
  parseResourceId,
  parseResourceIdOf,
  resourceIdKey,
  type ResourceKind,
} from './resource-id.js';

export class InvalidInventoryError extends MigratorError {
  readonly code = 'InvalidInventory';
  constructor(issues: readonly { path: string; message: string }[]) {
    const shown = issues.slice(0, 5).map((i) => `${i.path || '(root)'}: ${i.message}`);
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super(`The inventory is invalid: ${shown.join('; ')}${more}. Re-run the inventory or fix the input.`, false, {
      details: { issues },
    });
  }
}

/**
 * Bounds on every list and string. They are far above any real fleet (App Service allows 20 slots an app, a VNet
 * 3,000 subnets) and exist so that validation work and error output are bounded by the schema, not the request.
 */
const MAX_ID = 1024;
const name = (max = 256) => z.string().max(max);
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max);

function idOf(...kinds: ResourceKind[]) {
  // abort: a 100,000-character id is refused on its length, without being parsed (or quoted) first.
  return z.string().max(MAX_ID, { abort: true }).superRefine((value, ctx) => {
    try {
      const parsed = parseResourceId(value);
      if (!kinds.includes(parsed.kind)) {
        ctx.addIssue({ code: 'custom', message: `expected a ${kinds.join(' or ')} id, got a ${parsed.kind} id` });
      }
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });
}

function checked(parse: (value: string) => unknown) {
  return z.string().max(64, { abort: true }).superRefine((value, ctx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });
}

const cidrText = checked(parseCidr);
const ipv4Text = checked(parseIpv4Address);

export const RouteSchema = z
  .strictObject({
    startAddress: ipv4Text,
    endAddress: ipv4Text,
    routeType: name(64).optional(),
  })
  .superRefine((route, ctx) => {
    const start = safe(() => parseIpv4Address(route.startAddress));
    const end = safe(() => parseIpv4Address(route.endAddress));
    if (start !== undefined && end !== undefined && start > end) {
      ctx.addIssue({ code: 'custom', path: ['endAddress'], message: `the route ends (${route.endAddress}) before it starts (${route.startAddress})` });
    }
  });

export const GatewayConnectionSchema = z.strictObject({
  /** The VNet (not subnet) id: that is what tells a gateway-based connection from a regional one. */
  vnetId: idOf('virtualNetwork'),
  routes: list(RouteSchema, 1000).default([]),
});

/** The only app setting values the inventory keeps: the three legacy routing switches. */
export const LegacyRoutingSettingsSchema = z.strictObject({
  WEBSITE_VNET_ROUTE_ALL: name().optional(),
  WEBSITE_PULL_IMAGE_OVER_VNET: name().optional(),
  WEBSITE_CONTENTOVERVNET: name().optional(),
});

export const InventoryAppSchema = z.strictObject({
  id: idOf('site', 'slot'),
  kind: name(),
  /** Linux. */
  reserved: z.boolean().default(false),
  /** Windows containers. */
  hyperV: z.boolean().default(false),
  location: name(100).min(1),
  planId: idOf('serverFarm'),
  /** Ids of the app's deployment slots (each slot with its own integration is an app entry of its own). */
  slots: list(idOf('slot'), 100).default([]),
  appSettingNames: list(name(1024), 5000).default([]),
  routingSettings: LegacyRoutingSettingsSchema.default({}),
  gatewayConnections: list(GatewayConnectionSchema, 50).default([]),
  regionalSubnetId: idOf('subnet').nullable().default(null),
});

export const InventoryPlanSchema = z.strictObject({
  id: idOf('serverFarm'),
  location: name(100).min(1),
  sku: z.strictObject({ name: name(64), tier: name(64) }),
  maximumNumberOfWorkers: z.number().int().min(1).max(10_000),
  maximumElasticWorkerCount: z.number().int().min(1).max(10_000).optional(),
  /** Routes the plan adds for gateway-based VNets (serverfarms/{p}/virtualNetworkConnections/{v}/routes). */
  vnetRoutes: list(z.strictObject({ vnetId: idOf('virtualNetwork'), routes: list(RouteSchema, 1000) }), 100).default([]),
});

export const InventorySubnetSchema = z.strictObject({
  id: idOf('subnet'),
  addressPrefix: cidrText,
  /** Delegation service names, e.g. "Microsoft.Web/serverFarms". */
  delegations: list(name(), 50).default([]),
  serviceAssociationLinks: list(z.strictObject({ linkedResourceType: name(), link: name(MAX_ID) }), 50).default([]),
  networkSecurityGroupId: idOf('networkSecurityGroup').nullable().default(null),
  /** Any IP configuration or other resource uses the subnet. */
  inUse: z.boolean().default(false),
});

export const InventoryVnetSchema = z
  .strictObject({
    id: idOf('virtualNetwork'),
    location: name(100).min(1),
    addressPrefixes: list(cidrText, 1000).min(1),
    subnets: list(InventorySubnetSchema, 3000).default([]),
    peerings: list(z.strictObject({ id: idOf('virtualNetworkPeering'), remoteVnetId: idOf('virtualNetwork'), state: name(64) }), 1000).default([]),
  })
  .superRefine((vnet, ctx) => {
    // ARM refuses these (NetcfgInvalidSubnet, NetcfgSubnetRangesOverlap): a plan built on them would be wrong.
    const space = parsedPrefixes(vnet.addressPrefixes.map((text, index) => ({ text, path: ['addressPrefixes', index] })));
    const subnets = parsedPrefixes(vnet.subnets.map((s, index) => ({ text: s.addressPrefix, path: ['subnets', index, 'addressPrefix'] })));
    for (const [a, b] of overlaps(space)) ctx.addIssue({ code: 'custom', path: b.path, message: `address prefix ${b.text} overlaps ${a.text}` });
    for (const subnet of subnets) {
      if (!space.some((prefix) => cidrContains(prefix.cidr, subnet.cidr))) {
        ctx.addIssue({ code: 'custom', path: subnet.path, message: `subnet prefix ${subnet.text} is outside the VNet's address space (${vnet.addressPrefixes.join(', ')})` });
      }
    }
    for (const [a, b] of overlaps(subnets)) ctx.addIssue({ code: 'custom', path: b.path, message: `subnet prefix ${b.text} overlaps ${formatCidr(a.cidr)} of another subnet` });
  });

export const NsgRuleSchema = z.strictObject({
  name: name(80),
  priority: z.number().int().min(100).max(4096),
  direction: z.enum(['Inbound', 'Outbound']),
  access: z.enum(['Allow', 'Deny']),
  protocol: name(16),
  destinationPortRanges: list(name(32), 100).min(1),
  destinationAddressPrefix: name(128),
});

export const InventoryNsgSchema = z.strictObject({
  id: idOf('networkSecurityGroup'),
  rules: list(NsgRuleSchema, 1000).default([]),
});

export const InventorySchema = z
  .strictObject({
    // A fleet of up to 50,000 apps (sites and slots) in one scope; an uploaded inventory (POST /api/plans) is bounded
    // well below that by the 16 MiB body limit.
    apps: list(InventoryAppSchema, 50_000),
    plans: list(InventoryPlanSchema, 20_000),
    virtualNetworks: list(InventoryVnetSchema, 20_000),
    networkSecurityGroups: list(InventoryNsgSchema, 20_000).default([]),
  })
  .superRefine((inventory, ctx) => {
    const duplicates = (label: 'apps' | 'plans' | 'virtualNetworks' | 'networkSecurityGroups'): void => {
      const seen = new Set<string>();
      inventory[label].forEach((item, index) => {
        const key = safeKey(item.id);
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [label, index, 'id'], message: `duplicate id ${item.id}` });
        seen.add(key);
      });
    };
    duplicates('apps');
    duplicates('plans');
    duplicates('virtualNetworks');
    duplicates('networkSecurityGroups');
    const plans = new Set(inventory.plans.map((p) => safeKey(p.id)));
    const vnets = new Set(inventory.virtualNetworks.map((v) => safeKey(v.id)));
    inventory.apps.forEach((app, index) => {
      if (!plans.has(safeKey(app.planId))) {
        ctx.addIssue({ code: 'custom', path: ['apps', index, 'planId'], message: `plan ${app.planId} is not in the inventory` });
      }
      app.gatewayConnections.forEach((connection, c) => {
        if (!vnets.has(safeKey(connection.vnetId))) {
          ctx.addIssue({
            code: 'custom',
            path: ['apps', index, 'gatewayConnections', c, 'vnetId'],
            message: `gateway VNet ${connection.vnetId} is not in the inventory; planning needs its location and address space`,
          });
        }
      });
    });
    inventory.virtualNetworks.forEach((vnet, v) => {
      vnet.subnets.forEach((subnet, s) => {
        const parent = safeParentVnetKey(subnet.id);
        if (parent !== undefined && parent !== safeKey(vnet.id)) {
          ctx.addIssue({ code: 'custom', path: ['virtualNetworks', v, 'subnets', s, 'id'], message: `subnet ${subnet.id} is not in VNet ${vnet.id}` });
        }
      });
    });
  });

function safe<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined; // its own field already reported the problem
  }
}

interface PlacedPrefix {
  readonly text: string;
  readonly cidr: Cidr;
  readonly path: (string | number)[];
}

function parsedPrefixes(items: readonly { text: string; path: (string | number)[] }[]): PlacedPrefix[] {
  return items.flatMap((item) => {
    const cidr = safe(() => parseCidr(item.text));
    return cidr === undefined ? [] : [{ ...item, cidr }];
  });
}

/** Each prefix that overlaps an earlier one (by start address), paired with the one it overlaps; O(n log n). */
function overlaps(prefixes: readonly PlacedPrefix[]): [PlacedPrefix, PlacedPrefix][] {
  const sorted = [...prefixes].sort((a, b) => a.cidr.network - b.cidr.network || a.cidr.prefixLength - b.cidr.prefixLength);
  const found: [PlacedPrefix, PlacedPrefix][] = [];
  let widest: PlacedPrefix | undefined;
  for (const prefix of sorted) {
    if (widest !== undefined && prefix.cidr.network <= lastAddress(widest.cidr)) found.push([widest, prefix]);
    if (widest === undefined || lastAddress(prefix.cidr) > lastAddress(widest.cidr)) widest = prefix;
  }
  return found;
}

/** Key for ids that may be malformed (their own field already reported the problem). */
function safeKey(id: string): string {
  try {
    return resourceIdKey(id);
  } catch {
    return id.toLowerCase();
  }
}

function safeParentVnetKey(subnetId: string): string | undefined {
  try {
    return formatResourceId(parentVnetOf(parseResourceIdOf(subnetId, 'subnet'))).toLowerCase();
  } catch {
    return undefined;
  }
}

export type Inventory = z.output<typeof InventorySchema>;
export type InventoryInput = z.input<typeof InventorySchema>;
export type InventoryApp = Inventory['apps'][number];
export type InventoryPlan = Inventory['plans'][number];
export type InventoryVnet = Inventory['virtualNetworks'][number];
export type InventorySubnet = InventoryVnet['subnets'][number];
export type InventoryNsg = Inventory['networkSecurityGroups'][number];
export type Route = z.output<typeof RouteSchema>;
export type LegacyRoutingSettings = z.output<typeof LegacyRoutingSettingsSchema>;

/** Validates untrusted inventory JSON. Throws InvalidInventoryError listing every problem with its path. */
export function parseInventory(input: unknown): Inventory {
  const result = InventorySchema.safeParse(input);
  if (!result.success) {
    throw new InvalidInventoryError(result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  }
  return result.data;
}

/** ARM locations come as "West Europe" or "westeurope"; both name the same region. */
export function sameLocation(a: string, b: string): boolean {
  return normalizeLocation(a) === normalizeLocation(b);
}

export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}
