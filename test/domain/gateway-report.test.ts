import { describe, expect, it } from 'vitest';
import { buildGatewayReport } from '../../src/domain/gateway-report.js';

const vnet = (name: string): string => `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/${name}`;
const gateway = (name: string, sku: string) => ({ id: `${vnet(name)}-gw`, vnetId: vnet(name), sku: { name: sku, tier: sku } });

describe('the gateway report', () => {
  it('names a gateway unused only when every app that used it moved, and adds up what the unused ones cost', () => {
    const report = buildGatewayReport(
      [gateway('hub', 'VpnGw1'), gateway('spoke', 'Basic'), gateway('idle', 'VpnGw2')],
      [
        { appId: 'a1', gatewayVnetId: vnet('hub'), moved: true },
        { appId: 'a2', gatewayVnetId: vnet('HUB'), moved: true },
        { appId: 'b1', gatewayVnetId: vnet('spoke'), moved: true },
        { appId: 'b2', gatewayVnetId: vnet('spoke'), moved: false },
      ],
    );
    const byVnet = new Map(report.gateways.map((g) => [g.vnetId.split('/').pop() ?? '', g]));
    expect(byVnet.get('hub')).toMatchObject({ unused: true, appsMoved: 2, appsStillUsing: [], estimatedMonthlySavingUsd: 140 });
    expect(byVnet.get('spoke')).toMatchObject({ unused: false, appsMoved: 1, appsStillUsing: ['b2'], estimatedMonthlySavingUsd: 0 });
    // No app of the scope used it: nothing proves it idle, so it is not reported as freed by this migration.
    expect(byVnet.get('idle')).toMatchObject({ unused: false, appsMoved: 0 });
    expect(report).toMatchObject({ unusedCount: 1, estimatedMonthlySavingUsd: 140 });
  });

  it('reports an unknown SKU as unused with no cost estimate rather than guessing one', () => {
    const report = buildGatewayReport([gateway('hub', 'VpnGw5AZ')], [{ appId: 'a', gatewayVnetId: vnet('hub'), moved: true }]);
    expect(report.gateways[0]).toMatchObject({ unused: true, estimatedMonthlySavingUsd: null });
    expect(report.estimatedMonthlySavingUsd).toBe(0);
  });

  it.each([
    ['Basic', 19],
    ['VpnGw1', 140],
    ['VpnGw1AZ', 140],
    ['VpnGw2', 360],
    ['VpnGw2AZ', 360],
    ['VpnGw3', 525],
    ['vpngw3az', 525],
  ])('estimates what an unused %s gateway costs a month: $%i', (sku, usd) => {
    const report = buildGatewayReport([gateway('hub', sku)], [{ appId: 'a', gatewayVnetId: vnet('hub'), moved: true }]);
    expect(report.gateways[0]?.estimatedMonthlySavingUsd).toBe(usd);
  });

  it('says that nothing was deleted and what to check before removing a gateway', () => {
    const { note } = buildGatewayReport([], []);
    expect(note).toMatch(/Nothing was deleted/);
    expect(note).toMatch(/site-to-site tunnels, other point-to-site clients and apps outside the scope/);
  });
});
