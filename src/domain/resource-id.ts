/**
 * Strict parsing and formatting of the ARM resource ids the migrator touches.
 *
 * ARM compares providers, types and names case-insensitively, so parsing accepts any casing of the fixed
 * keywords and `format()` writes them in their canonical casing; names keep the casing they were given, and
 * `resourceIdKey()` / `sameResourceId()` give the case-insensitive identity ARM uses. A malformed id throws
 * InvalidResourceIdError naming the 1-based segment (counted after the leading '/') and what was expected there,
 * because "invalid id" alone never tells an operator which part of a pasted id is wrong.
 */
import { MigratorError } from './errors.js';

interface ResourceGroupScope {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

export interface SubscriptionId {
  readonly kind: 'subscription';
  readonly subscriptionId: string;
}
export interface ResourceGroupId extends ResourceGroupScope {
  readonly kind: 'resourceGroup';
}
export interface SiteId extends ResourceGroupScope {
  readonly kind: 'site';
  readonly name: string;
}
export interface SlotId extends ResourceGroupScope {
  readonly kind: 'slot';
  readonly site: string;
  readonly name: string;
}
export interface ServerFarmId extends ResourceGroupScope {
  readonly kind: 'serverFarm';
  readonly name: string;
}
export interface VirtualNetworkId extends ResourceGroupScope {
  readonly kind: 'virtualNetwork';
  readonly name: string;
}
export interface SubnetId extends ResourceGroupScope {
  readonly kind: 'subnet';
  readonly virtualNetwork: string;
  readonly name: string;
}
export interface VirtualNetworkPeeringId extends ResourceGroupScope {
  readonly kind: 'virtualNetworkPeering';
  readonly virtualNetwork: string;
  readonly name: string;
}
export interface VirtualNetworkGatewayId extends ResourceGroupScope {
  readonly kind: 'virtualNetworkGateway';
  readonly name: string;
}
export interface NetworkSecurityGroupId extends ResourceGroupScope {
  readonly kind: 'networkSecurityGroup';
  readonly name: string;
}

export type ResourceId =
  | SubscriptionId
  | ResourceGroupId
  | SiteId
  | SlotId
  | ServerFarmId
  | VirtualNetworkId
  | SubnetId
  | VirtualNetworkPeeringId
  | VirtualNetworkGatewayId
  | NetworkSecurityGroupId;

export type ResourceKind = ResourceId['kind'];
export type ResourceIdOfKind<K extends ResourceKind> = Extract<ResourceId, { kind: K }>;

export class InvalidResourceIdError extends MigratorError {
  readonly code = 'InvalidResourceId';
  constructor(id: string, problem: string, facts: { segment?: number; value?: string; expected?: string } = {}) {
    super(`Invalid resource id '${id}': ${problem}.`, false, { details: { id, problem, ...facts } });
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Characters no ARM resource name may contain; they also break URLs (and control characters such as NUL break
 * logs and table keys), so an id holding one is a copy/paste error.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const FORBIDDEN_NAME_CHARACTERS = /[/\\?#%<>&*:\s\u0000-\u001f\u007f]/;
/**
 * Names longer than this are refused: 90 is ARM's longest limit among these types (resource groups); the
 * per-type limits (sites 60, VNets 64, subnets 80, ...) are ARM's to enforce. It keeps a pasted 100,000-character
 * name out of plans, logs and table keys.
 */
const NAME_MAX = 90;

/** Child resource types of each top-level type we understand: canonical spelling and the kind they produce. */
interface TypeRule {
  readonly type: string;
  readonly kind: ResourceKind;
  readonly children: readonly { readonly type: string; readonly kind: ResourceKind }[];
}
const PROVIDERS: readonly { readonly namespace: string; readonly types: readonly TypeRule[] }[] = [
  {
    namespace: 'Microsoft.Web',
    types: [
      { type: 'sites', kind: 'site', children: [{ type: 'slots', kind: 'slot' }] },
      { type: 'serverfarms', kind: 'serverFarm', children: [] },
    ],
  },
  {
    namespace: 'Microsoft.Network',
    types: [
      {
        type: 'virtualNetworks',
        kind: 'virtualNetwork',
        children: [
          { type: 'subnets', kind: 'subnet' },
          { type: 'virtualNetworkPeerings', kind: 'virtualNetworkPeering' },
        ],
      },
      { type: 'virtualNetworkGateways', kind: 'virtualNetworkGateway', children: [] },
      { type: 'networkSecurityGroups', kind: 'networkSecurityGroup', children: [] },
    ],
  },
];

const quoteList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(' or ');

/** Parses any supported ARM id. Throws InvalidResourceIdError naming the offending segment. */
export function parseResourceId(id: string): ResourceId {
  if (id.length === 0) throw new InvalidResourceIdError(id, 'it is empty');
  if (!id.startsWith('/')) throw new InvalidResourceIdError(id, "it must start with '/subscriptions/'");
  const segments = id.slice(1).split('/');
  // position(i) is the 1-based segment number the message shows.
  const at = (i: number): string | undefined => segments[i];
  const fail = (i: number, expected: string): never => {
    const value = at(i);
    if (value === undefined) {
      throw new InvalidResourceIdError(id, `segment ${i + 1} is missing: expected ${expected}`, { segment: i + 1, expected });
    }
    throw new InvalidResourceIdError(id, `segment ${i + 1} '${value}' should be ${expected}`, {
      segment: i + 1,
      value,
      expected,
    });
  };
  const keyword = (i: number, canonical: string): void => {
    if (at(i)?.toLowerCase() !== canonical.toLowerCase()) fail(i, `'${canonical}'`);
  };
  const name = (i: number, what: string, maxLength = NAME_MAX): string => {
    const value = at(i);
    if (value === undefined || value.length === 0) {
      throw new InvalidResourceIdError(id, `segment ${i + 1} is empty: expected the ${what}`, {
        segment: i + 1,
        value: value ?? '',
        expected: what,
      });
    }
    if (value.length > maxLength) {
      throw new InvalidResourceIdError(id, `segment ${i + 1} is ${value.length} characters: a ${what} is at most ${maxLength}`, {
        segment: i + 1,
        value: `${value.slice(0, 40)}…`,
        expected: `at most ${maxLength} characters`,
      });
    }
    if (FORBIDDEN_NAME_CHARACTERS.test(value)) fail(i, `a ${what} without '/\\?#%<>&*:', spaces or control characters`);
    return value;
  };
  const end = (i: number, kind: ResourceKind): void => {
    if (segments.length > i) {
      const value = at(i) ?? '';
      const problem =
        value.length === 0 && segments.length === i + 1
          ? `trailing '/' after a complete ${kind} id`
          : `segment ${i + 1} '${value}' is unexpected: a ${kind} id ends at segment ${i}`;
      throw new InvalidResourceIdError(id, problem, { segment: i + 1, value, expected: 'end of id' });
    }
  };

  keyword(0, 'subscriptions');
  const subscriptionId = name(1, 'subscription id', 36);
  if (!GUID.test(subscriptionId)) fail(1, 'a subscription GUID like 00000000-0000-0000-0000-000000000000');
  if (segments.length === 2) return { kind: 'subscription', subscriptionId };
  keyword(2, 'resourceGroups');
  const resourceGroup = name(3, 'resource group name');
  if (segments.length === 4) return { kind: 'resourceGroup', subscriptionId, resourceGroup };
  keyword(4, 'providers');
  const provider = PROVIDERS.find((p) => p.namespace.toLowerCase() === at(5)?.toLowerCase());
  if (provider === undefined) return fail(5, quoteList(PROVIDERS.map((p) => p.namespace)));
  const rule = provider.types.find((t) => t.type.toLowerCase() === at(6)?.toLowerCase());
  if (rule === undefined) return fail(6, quoteList(provider.types.map((t) => t.type)));
  const parentName = name(7, `${rule.type} name`);
  if (segments.length === 8 || rule.children.length === 0) {
    end(8, rule.kind);
    return topLevel(rule.kind, subscriptionId, resourceGroup, parentName);
  }
  const child = rule.children.find((c) => c.type.toLowerCase() === at(8)?.toLowerCase());
  if (child === undefined) return fail(8, quoteList(rule.children.map((c) => c.type)));
  const childName = name(9, `${child.type} name`);
  end(10, child.kind);
  return nested(child.kind, subscriptionId, resourceGroup, parentName, childName);
}

function topLevel(kind: ResourceKind, subscriptionId: string, resourceGroup: string, name: string): ResourceId {
  switch (kind) {
    case 'site':
    case 'serverFarm':
    case 'virtualNetwork':
    case 'virtualNetworkGateway':
    case 'networkSecurityGroup':
      return { kind, subscriptionId, resourceGroup, name };
    default:
      throw new Error(`unreachable: ${kind} is not a top-level kind`);
  }
}

function nested(kind: ResourceKind, subscriptionId: string, resourceGroup: string, parent: string, name: string): ResourceId {
  switch (kind) {
    case 'slot':
      return { kind, subscriptionId, resourceGroup, site: parent, name };
    case 'subnet':
    case 'virtualNetworkPeering':
      return { kind, subscriptionId, resourceGroup, virtualNetwork: parent, name };
    default:
      throw new Error(`unreachable: ${kind} is not a child kind`);
  }
}

/** Parses an id that must be of one kind (a subnet id where a subnet is expected, and so on). */
export function parseResourceIdOf<K extends ResourceKind>(id: string, kind: K): ResourceIdOfKind<K> {
  const parsed = parseResourceId(id);
  if (parsed.kind !== kind) {
    throw new InvalidResourceIdError(id, `expected a ${kind} id but this is a ${parsed.kind} id`, {
      value: parsed.kind,
      expected: kind,
    });
  }
  return parsed as ResourceIdOfKind<K>;
}

/** Canonical text of an id: keywords in ARM's casing, names as given. */
export function formatResourceId(id: ResourceId): string {
  const sub = `/subscriptions/${id.subscriptionId}`;
  if (id.kind === 'subscription') return sub;
  const rg = `${sub}/resourceGroups/${id.resourceGroup}`;
  switch (id.kind) {
    case 'resourceGroup':
      return rg;
    case 'site':
      return `${rg}/providers/Microsoft.Web/sites/${id.name}`;
    case 'slot':
      return `${rg}/providers/Microsoft.Web/sites/${id.site}/slots/${id.name}`;
    case 'serverFarm':
      return `${rg}/providers/Microsoft.Web/serverfarms/${id.name}`;
    case 'virtualNetwork':
      return `${rg}/providers/Microsoft.Network/virtualNetworks/${id.name}`;
    case 'subnet':
      return `${rg}/providers/Microsoft.Network/virtualNetworks/${id.virtualNetwork}/subnets/${id.name}`;
    case 'virtualNetworkPeering':
      return `${rg}/providers/Microsoft.Network/virtualNetworks/${id.virtualNetwork}/virtualNetworkPeerings/${id.name}`;
    case 'virtualNetworkGateway':
      return `${rg}/providers/Microsoft.Network/virtualNetworkGateways/${id.name}`;
    case 'networkSecurityGroup':
      return `${rg}/providers/Microsoft.Network/networkSecurityGroups/${id.name}`;
  }
}

/**
 * Planning compares the same few thousand ids millions of times; parsing each time made a 5,000-app plan take
 * seconds. A bounded memo of this pure function keeps it pure (same input, same output) and fast.
 */
const KEY_CACHE_LIMIT = 100_000;
const keyCache = new Map<string, string>();

/** The case-insensitive identity ARM uses: equal keys mean the same resource. */
export function resourceIdKey(id: ResourceId | string): string {
  if (typeof id !== 'string') return formatResourceId(id).toLowerCase();
  const cached = keyCache.get(id);
  if (cached !== undefined) return cached;
  const key = formatResourceId(parseResourceId(id)).toLowerCase();
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(id, key);
  return key;
}

export function sameResourceId(a: ResourceId | string, b: ResourceId | string): boolean {
  return resourceIdKey(a) === resourceIdKey(b);
}

/** Sort comparator by ARM identity (case-insensitive), ties broken by the exact text so sorting stays total. */
export function compareResourceIds(a: string, b: string): number {
  const ka = a.toLowerCase();
  const kb = b.toLowerCase();
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function parentVnetOf(subnet: SubnetId | VirtualNetworkPeeringId): VirtualNetworkId {
  return {
    kind: 'virtualNetwork',
    subscriptionId: subnet.subscriptionId,
    resourceGroup: subnet.resourceGroup,
    name: subnet.virtualNetwork,
  };
}

export function siteOf(slot: SlotId): SiteId {
  return { kind: 'site', subscriptionId: slot.subscriptionId, resourceGroup: slot.resourceGroup, name: slot.site };
}

export function subnetIn(vnet: VirtualNetworkId, name: string): SubnetId {
  return { kind: 'subnet', subscriptionId: vnet.subscriptionId, resourceGroup: vnet.resourceGroup, virtualNetwork: vnet.name, name };
}
