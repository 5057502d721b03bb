/**
 * Advice per app from what discovery saw, for what the move itself cannot fix: networks the app reached through
 * the VPN gateway that regional integration reaches only over peering with gateway transit, and NSG rules on the
 * new subnet that would block a dependency the operator named.
 */
import { parseCidr, parseIpv4Address } from './cidr.js';
import { resourceIdKey } from './resource-id.js';
import type { Route } from './inventory.js';

export interface PeeringFacts {
  readonly vnetId: string;
  readonly remoteVnetId: string;
  readonly state: string;
  readonly allowGatewayTransit: boolean;
  readonly useRemoteGateways: boolean;
}

export interface AdviceInput {
  readonly gatewayVnetId: string;
  readonly gatewayVnetAddressPrefixes: readonly string[];
  readonly targetVnetId: string;
  /** Routes the gateway gave the app (the connection's and the plan's). */
  readonly gatewayRoutes: readonly Route[];
  readonly peerings: readonly PeeringFacts[];
  /** Outbound NSG rules on the target subnet (none when it has no NSG). */
  readonly targetSubnetRules: readonly { readonly name: string; readonly priority: number; readonly direction: string; readonly access: string; readonly destinationPortRanges: readonly string[]; readonly destinationAddressPrefix: string }[];
  /** "host:port" the operator asked to be checked. */
  readonly dependencies: readonly string[];
  /** The site has deployment slots (blue-green is possible). */
  readonly hasSlots?: boolean;
}

function insideVnet(route: Route, prefixes: readonly string[]): boolean {
  const start = parseIpv4Address(route.startAddress);
  const end = parseIpv4Address(route.endAddress);
  return prefixes.some((p) => {
    const cidr = parseCidr(p);
    const size = 2 ** (32 - cidr.prefixLength);
    return start >= cidr.network && end < cidr.network + size;
  });
}

function portCovered(range: string, port: number): boolean {
  const text = range.trim();
  if (text === '*') return true;
  const [from, to] = text.split('-').map((part) => Number(part.trim()));
  if (from === undefined || Number.isNaN(from)) return false;
  return to === undefined ? from === port : port >= from && port <= to;
}

export function adviseApp(input: AdviceInput): string[] {
  const advice: string[] = [];
  const onPremises = input.gatewayRoutes.filter((r) => !insideVnet(r, input.gatewayVnetAddressPrefixes));
  if (onPremises.length > 0) {
    const ranges = [...new Set(onPremises.map((r) => `${r.startAddress}-${r.endAddress}`))].join(', ');
    const sameVnet = resourceIdKey(input.gatewayVnetId) === resourceIdKey(input.targetVnetId);
    const transit = input.peerings.some(
      (p) => resourceIdKey(p.vnetId) === resourceIdKey(input.targetVnetId) && resourceIdKey(p.remoteVnetId) === resourceIdKey(input.gatewayVnetId) && p.useRemoteGateways && p.state === 'Connected',
    );
    if (sameVnet) {
      advice.push(`The app reached ${ranges} through the point-to-site gateway. Regionally integrated it reaches them only through this VNet's site-to-site VPN or ExpressRoute: check that gateway connection carries them.`);
    } else if (!transit) {
      advice.push(`The app reached ${ranges} through the gateway of ${input.gatewayVnetId}. From ${input.targetVnetId} they need a peering to that VNet with gateway transit (allowGatewayTransit on its side, useRemoteGateways on this side).`);
    }
  }
  for (const dependency of input.dependencies) {
    const port = Number(dependency.split(':')[1] ?? 80);
    const deny = [...input.targetSubnetRules]
      .filter((r) => r.direction === 'Outbound' && r.destinationPortRanges.some((range) => portCovered(range, port)))
      .sort((a, b) => a.priority - b.priority)[0];
    if (deny !== undefined && deny.access === 'Deny') {
      advice.push(`NSG rule ${deny.name} (priority ${deny.priority}) on the new subnet denies outbound port ${port}, which ${dependency} needs.`);
    }
  }
  if (input.hasSlots === true) {
    advice.push(
      'Blue-green (advice, not executed): VNet integration belongs to each slot and does not move with a swap. The engine integrates and verifies every slot before production (slots-first); to cut over by swapping instead, integrate a staging slot, warm it, swap, then integrate the former production slot.',
    );
  }
  return advice;
}
