/**
 * Carries an app's outbound routing across the move.
 *
 * Gateway-based integration sends the app's traffic for the gateway's routes (the VNet address space plus any
 * plan or connection routes) through the VNet. Regional integration, by default, routes only RFC 1918
 * destinations. So anything the app reached through the gateway outside RFC 1918 would silently go out to the
 * internet after the move, unless application traffic is routed through the VNet. The legacy app settings are
 * translated into the site properties of the target api-version (the settings still work, but properties can be
 * audited with Azure Policy and are what App Service recommends), and removed afterwards.
 */
import { MigratorError } from './errors.js';
import { formatCidr, isPrivate, isPrivateRange, parseCidr, parseIpv4Address } from './cidr.js';

/** First Microsoft.Web api-version with `outboundVnetRouting`; older ones take the flat flags. */
export const OUTBOUND_VNET_ROUTING_SINCE = '2025-03-01';
export const LEGACY_ROUTING_SETTINGS = ['WEBSITE_VNET_ROUTE_ALL', 'WEBSITE_PULL_IMAGE_OVER_VNET', 'WEBSITE_CONTENTOVERVNET'] as const;
export type LegacyRoutingSettingName = (typeof LEGACY_ROUTING_SETTINGS)[number];

export class InvalidApiVersionError extends MigratorError {
  readonly code = 'InvalidApiVersion';
  constructor(apiVersion: string) {
    super(`'${apiVersion}' is not an ARM api-version (expected YYYY-MM-DD, optionally with -preview).`, false, {
      details: { apiVersion },
    });
  }
}

/** A simplified NSG security rule: enough to tell whether outbound 443/445 to Storage is allowed. */
export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: string;
  readonly destinationPortRanges: readonly string[];
  readonly destinationAddressPrefix: string;
}

export interface RouteRange {
  readonly startAddress: string;
  readonly endAddress: string;
}

export interface RoutingInput {
  /** Microsoft.Web api-version the site will be written with. */
  readonly apiVersion: string;
  readonly legacySettings: Partial<Record<LegacyRoutingSettingName, string>>;
  /** Names of the app settings that exist (to know what to remove; values stay out of the domain). */
  readonly appSettingNames: readonly string[];
  /** Routes of the gateway connection and of the plan for that VNet. */
  readonly gatewayRoutes: readonly RouteRange[];
  /** Address prefixes of the VNet the app reached through the gateway. */
  readonly gatewayVnetAddressPrefixes: readonly string[];
  /** Rules of the NSG on the target subnet; null when the subnet has no NSG. */
  readonly subnetNsgRules: readonly NsgRule[] | null;
}

export interface OutboundVnetRoutingProperties {
  readonly outboundVnetRouting: {
    readonly applicationTraffic: boolean;
    readonly imagePullTraffic: boolean;
    readonly contentShareTraffic: boolean;
  };
}

export interface FlatVnetRoutingProperties {
  readonly vnetRouteAllEnabled: boolean;
  readonly vnetImagePullEnabled: boolean;
  readonly vnetContentShareEnabled: boolean;
}

export interface RoutingPlan {
  readonly siteProperties: OutboundVnetRoutingProperties | FlatVnetRoutingProperties;
  /** Legacy settings to delete once the properties are verified, with the app's own spelling of their names. */
  readonly legacySettingsToRemove: readonly string[];
  readonly warnings: readonly string[];
  /** Why each routing value is what it is. */
  readonly reasons: readonly string[];
}

function usesOutboundVnetRouting(apiVersion: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})(-preview)?$/.exec(apiVersion);
  if (match?.[1] === undefined) throw new InvalidApiVersionError(apiVersion);
  return match[1] >= OUTBOUND_VNET_ROUTING_SINCE;
}

/** Reads one legacy switch: `on` lists the values App Service treats as enabled. */
function readSwitch(
  name: LegacyRoutingSettingName,
  value: string | undefined,
  on: readonly string[],
  off: readonly string[],
  warnings: string[],
): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  if (on.includes(normalized)) return true;
  if (!off.includes(normalized)) {
    warnings.push(`${name} has the unrecognised value '${value}'; App Service enables it only with ${on.map((v) => `'${v}'`).join(' or ')}, so it is treated as off.`);
  }
  return false;
}

function portRangeIncludes(range: string, port: number): boolean {
  const text = range.trim();
  if (text === '*') return true;
  const [from, to] = text.split('-').map((part) => Number(part.trim()));
  if (from === undefined || Number.isNaN(from)) return false;
  return to === undefined ? from === port : !Number.isNaN(to) && port >= from && port <= to;
}

/** Destinations that cover Azure Storage, where the content share lives. Other tags and private ranges do not. */
function coversStorage(prefix: string): boolean {
  const p = prefix.trim().toLowerCase();
  return p === '*' || p === 'any' || p === 'internet' || p === 'storage' || p.startsWith('storage.') || p === '0.0.0.0/0';
}

/** The first outbound rule, by priority, that decides TCP traffic to Storage on `port`; none means Azure's default allows it. */
function decidingRule(rules: readonly NsgRule[], port: number): NsgRule | undefined {
  return [...rules]
    .filter((r) => r.direction === 'Outbound')
    .sort((a, b) => a.priority - b.priority)
    .find(
      (r) =>
        ['tcp', '*', 'any'].includes(r.protocol.toLowerCase()) &&
        r.destinationPortRanges.some((range) => portRangeIncludes(range, port)) &&
        coversStorage(r.destinationAddressPrefix),
    );
}

export function planRouting(input: RoutingInput): RoutingPlan {
  const warnings: string[] = [];
  const reasons: string[] = [];
  const outbound = usesOutboundVnetRouting(input.apiVersion);
  const settings = input.legacySettings;

  const routeAll = readSwitch('WEBSITE_VNET_ROUTE_ALL', settings.WEBSITE_VNET_ROUTE_ALL, ['1', 'true'], ['0', 'false', ''], warnings);
  const imagePull = readSwitch('WEBSITE_PULL_IMAGE_OVER_VNET', settings.WEBSITE_PULL_IMAGE_OVER_VNET, ['true'], ['false', ''], warnings);
  const contentShare = readSwitch('WEBSITE_CONTENTOVERVNET', settings.WEBSITE_CONTENTOVERVNET, ['1'], ['0', ''], warnings);

  const publicRoutes = input.gatewayRoutes.filter(
    (r) => !isPrivateRange(parseIpv4Address(r.startAddress), parseIpv4Address(r.endAddress)),
  );
  const publicPrefixes = input.gatewayVnetAddressPrefixes.map(parseCidr).filter((c) => !isPrivate(c));

  let applicationTraffic = routeAll;
  if (routeAll) reasons.push('Application traffic goes through the VNet: WEBSITE_VNET_ROUTE_ALL is on.');
  if (publicRoutes.length > 0) {
    applicationTraffic = true;
    // The app's connection and its plan often list the same range: name each range once.
    const ranges = [...new Set(publicRoutes.map((r) => `${r.startAddress}-${r.endAddress}`))];
    reasons.push(
      `Application traffic goes through the VNet: the gateway routed ${ranges.join(', ')} outside RFC 1918, which regional ` +
        'integration would otherwise send to the internet.',
    );
  }
  if (publicPrefixes.length > 0) {
    applicationTraffic = true;
    reasons.push(
      `Application traffic goes through the VNet: the VNet address space includes ${publicPrefixes
        .map(formatCidr)
        .join(', ')} outside RFC 1918, which regional integration routes only when all traffic is routed.`,
    );
  }
  if (!applicationTraffic) {
    reasons.push('Application traffic stays on the default (RFC 1918 only): no route-all setting and every gateway destination is private.');
  }
  reasons.push(
    imagePull
      ? 'Container image pull goes through the VNet: WEBSITE_PULL_IMAGE_OVER_VNET is true.'
      : 'Container image pull stays public: WEBSITE_PULL_IMAGE_OVER_VNET is not set to true.',
  );
  reasons.push(
    contentShare
      ? 'Content share goes through the VNet: WEBSITE_CONTENTOVERVNET is 1.'
      : 'Content share stays public: WEBSITE_CONTENTOVERVNET is not set to 1.',
  );

  if (contentShare && input.subnetNsgRules !== null) {
    for (const port of [443, 445]) {
      const rule = decidingRule(input.subnetNsgRules, port);
      if (rule?.access === 'Deny') {
        warnings.push(
          `Content share over the VNet needs outbound TCP ${port} to Storage, but NSG rule '${rule.name}' ` +
            `(priority ${rule.priority}) on the integration subnet denies it: allow it before migrating or the app loses its content.`,
        );
      }
    }
  }

  const legacyNames = new Set<string>(LEGACY_ROUTING_SETTINGS.map((n) => n.toLowerCase()));
  const legacySettingsToRemove = input.appSettingNames
    .filter((name) => legacyNames.has(name.toLowerCase()))
    .sort((a, b) => a.localeCompare(b, 'en'));

  const siteProperties: OutboundVnetRoutingProperties | FlatVnetRoutingProperties = outbound
    ? { outboundVnetRouting: { applicationTraffic, imagePullTraffic: imagePull, contentShareTraffic: contentShare } }
    : { vnetRouteAllEnabled: applicationTraffic, vnetImagePullEnabled: imagePull, vnetContentShareEnabled: contentShare };
  reasons.push(
    outbound
      ? `api-version ${input.apiVersion} uses outboundVnetRouting (since ${OUTBOUND_VNET_ROUTING_SINCE}).`
      : `api-version ${input.apiVersion} predates ${OUTBOUND_VNET_ROUTING_SINCE}: using the flat vnet*Enabled properties.`,
  );
  return { siteProperties, legacySettingsToRemove, warnings, reasons };
}
