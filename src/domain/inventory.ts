/**
 * The inventory: what the collector read from ARM, reduced to the facts planning needs, validated at the
 * boundary. Objects are strict (unknown keys are refused) so that app setting VALUES, which hold secrets, cannot
 * ride along: only setting names and the three legacy routing values are admitted.
 */
import { z } from 'zod';
import { parseCidr, parseIpv4Address } from './cidr.js';
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

function idOf(...kinds: ResourceKind[]) {
  return z.string().superRefine((value, ctx) => {
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
  return z.string().superRefine((value, ctx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });
}

const cidrText = checked(parseCidr);
const ipv4Text = checked(parseIpv4Address);

export const RouteSchema = z.strictObject({
  startAddress: ipv4Text,
  endAddress: ipv4Text,
  routeType: z.string().optional(),
});

export const GatewayConnectionSchema = z.strictObject({
  /** The VNet (not subnet) id: that is what tells a gateway-based connection from a regional one. */
  vnetId: idOf('virtualNetwork'),
  routes: z.array(RouteSchema).default([]),
});

/** The only app setting values the inventory keeps: the three legacy routing switches. */
export const LegacyRoutingSettingsSchema = z.strictObject({
  WEBSITE_VNET_ROUTE_ALL: z.string().optional(),
  WEBSITE_PULL_IMAGE_OVER_VNET: z.string().optional(),
  WEBSITE_CONTENTOVERVNET: z.string().optional(),
});

export const InventoryAppSchema = z.strictObject({
  id: idOf('site', 'slot'),
  kind: z.string(),
  /** Linux. */
  reserved: z.boolean().default(false),
  /** Windows containers. */
  hyperV: z.boolean().default(false),
  location: z.string().min(1),
  planId: idOf('serverFarm'),
  /** Ids of the app's deployment slots (each slot with its own integration is an app entry of its own). */
  slots: z.array(idOf('slot')).default([]),
  appSettingNames: z.array(z.string()).default([]),
  routingSettings: LegacyRoutingSettingsSchema.default({}),
  gatewayConnections: z.array(GatewayConnectionSchema).default([]),
  regionalSubnetId: idOf('subnet').nullable().default(null),
});

export const InventoryPlanSchema = z.strictObject({
  id: idOf('serverFarm'),
  location: z.string().min(1),
  sku: z.strictObject({ name: z.string(), tier: z.string() }),
  maximumNumberOfWorkers: z.number().int().min(1),
  maximumElasticWorkerCount: z.number().int().min(1).optional(),
  /** Routes the plan adds for gateway-based VNets (serverfarms/{p}/virtualNetworkConnections/{v}/routes). */
  vnetRoutes: z.array(z.strictObject({ vnetId: idOf('virtualNetwork'), routes: z.array(RouteSchema) })).default([]),
});

export const InventorySubnetSchema = z.strictObject({
  id: idOf('subnet'),
  addressPrefix: cidrText,
  /** Delegation service names, e.g. "Microsoft.Web/serverFarms". */
  delegations: z.array(z.string()).default([]),
  serviceAssociationLinks: z
    .array(z.strictObject({ linkedResourceType: z.string(), link: z.string() }))
    .default([]),
  networkSecurityGroupId: idOf('networkSecurityGroup').nullable().default(null),
  /** Any IP configuration or other resource uses the subnet. */
  inUse: z.boolean().default(false),
});

export const InventoryVnetSchema = z.strictObject({
  id: idOf('virtualNetwork'),
  location: z.string().min(1),
  addressPrefixes: z.array(cidrText).min(1),
  subnets: z.array(InventorySubnetSchema).default([]),
  peerings: z
    .array(z.strictObject({ id: idOf('virtualNetworkPeering'), remoteVnetId: idOf('virtualNetwork'), state: z.string() }))
    .default([]),
});

export const NsgRuleSchema = z.strictObject({
  name: z.string(),
  priority: z.number().int().min(100).max(4096),
  direction: z.enum(['Inbound', 'Outbound']),
  access: z.enum(['Allow', 'Deny']),
  protocol: z.string(),
  destinationPortRanges: z.array(z.string()).min(1),
  destinationAddressPrefix: z.string(),
});

export const InventoryNsgSchema = z.strictObject({
  id: idOf('networkSecurityGroup'),
  rules: z.array(NsgRuleSchema).default([]),
});

export const InventorySchema = z
  .strictObject({
    apps: z.array(InventoryAppSchema),
    plans: z.array(InventoryPlanSchema),
    virtualNetworks: z.array(InventoryVnetSchema),
    networkSecurityGroups: z.array(InventoryNsgSchema).default([]),
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
