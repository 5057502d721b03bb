/**
 * Which VPN gateways a finished fleet no longer needs. Gateway-based integration reaches a VNet through its
 * point-to-site VPN gateway; once no app of the scope uses a VNet that way, its gateway serves no app here any
 * more. Reported, never deleted: it may still carry site-to-site tunnels, other clients, or apps outside the scope.
 */
import { resourceIdKey } from './resource-id.js';

/**
 * Rough monthly cost by SKU in USD, within the range the migration guide gives ($19-525/month plus bandwidth);
 * an estimate to size the saving, not a price list — check the Azure pricing page for the region.
 */
export const VPN_GATEWAY_MONTHLY_USD: Readonly<Record<string, number>> = {
  basic: 19,
  vpngw1: 140,
  vpngw1az: 140,
  vpngw2: 360,
  vpngw2az: 360,
  vpngw3: 525,
  vpngw3az: 525,
};

export interface GatewayFacts {
  readonly id: string;
  readonly vnetId: string;
  readonly sku: { readonly name: string; readonly tier: string };
}

export interface GatewayUse {
  readonly appId: string;
  readonly gatewayVnetId: string;
  /** The app no longer uses its gateway connection (it moved to regional integration). */
  readonly moved: boolean;
}

export interface GatewayReportEntry {
  readonly gatewayId: string;
  readonly vnetId: string;
  readonly sku: string;
  readonly appsMoved: number;
  readonly appsStillUsing: readonly string[];
  readonly unused: boolean;
  /** Null when the SKU's cost is not in the table. */
  readonly estimatedMonthlySavingUsd: number | null;
}

export interface GatewayReport {
  readonly gateways: readonly GatewayReportEntry[];
  readonly unusedCount: number;
  readonly estimatedMonthlySavingUsd: number;
  readonly note: string;
}

export function buildGatewayReport(gateways: readonly GatewayFacts[], uses: readonly GatewayUse[]): GatewayReport {
  const entries = gateways.map((gateway): GatewayReportEntry => {
    const mine = uses.filter((u) => resourceIdKey(u.gatewayVnetId) === resourceIdKey(gateway.vnetId));
    const still = mine.filter((u) => !u.moved).map((u) => u.appId);
    const unused = mine.length > 0 && still.length === 0;
    const cost = VPN_GATEWAY_MONTHLY_USD[gateway.sku.name.toLowerCase()];
    return {
      gatewayId: gateway.id,
      vnetId: gateway.vnetId,
      sku: gateway.sku.name,
      appsMoved: mine.length - still.length,
      appsStillUsing: still,
      unused,
      estimatedMonthlySavingUsd: unused ? (cost ?? null) : 0,
    };
  });
  const unusedEntries = entries.filter((e) => e.unused);
  return {
    gateways: entries,
    unusedCount: unusedEntries.length,
    estimatedMonthlySavingUsd: unusedEntries.reduce((sum, e) => sum + (e.estimatedMonthlySavingUsd ?? 0), 0),
    note: 'Gateways no app in this scope uses any more. Nothing was deleted: check for site-to-site tunnels, other point-to-site clients and apps outside the scope before removing one. Costs are estimates ($19-525/month by SKU, plus bandwidth).',
  };
}
