import { describe, expect, it } from 'vitest';
import { InvalidInventoryError, normalizeLocation, parseInventory, sameLocation } from '../../src/domain/inventory.js';
import { app, fleet, subnetId, vnetId } from './inventory-fixture.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseInventory(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInventoryError);
    return (error as InvalidInventoryError).details?.['issues'] as { path: string; message: string }[];
  }
  throw new Error('expected the inventory to be rejected');
}

describe('parseInventory', () => {
  it('accepts the fixture fleet and fills defaults', () => {
    const inventory = parseInventory(fleet());
    const e1 = inventory.apps.find((a) => a.id.endsWith('/e1'));
    expect(e1).toMatchObject({ reserved: false, hyperV: false, slots: [], appSettingNames: [], routingSettings: {}, regionalSubnetId: null });
    expect(inventory.virtualNetworks[2]).toMatchObject({ subnets: [], peerings: [] });
  });

  it.each<[string, (f: ReturnType<typeof fleet>) => void, RegExp, RegExp]>([
    [
      'an app setting value (a possible secret) is refused',
      (f) => Object.assign(f.apps[0] ?? {}, { appSettings: { DB: 'Password=hunter2' } }),
      /^apps\.0$/,
      /appSettings/,
    ],
    [
      'an unknown legacy routing value key is refused',
      (f) => Object.assign(f.apps[0] ?? {}, { routingSettings: { DB_PASSWORD: 'x' } }),
      /^apps\.0\.routingSettings$/,
      /DB_PASSWORD/,
    ],
    ['a malformed subnet id names its segment', (f) => Object.assign(f.apps[0] ?? {}, { regionalSubnetId: `${vnetId('hub')}/subnet/x` }), /^apps\.0\.regionalSubnetId$/, /segment 9 'subnet' should be 'subnets'/],
    ['a subnet id where a VNet id belongs', (f) => f.apps.push(app('z', 'p1', null, { gatewayConnections: [{ vnetId: subnetId('hub', 'used') }] })), /gatewayConnections\.0\.vnetId$/, /expected a virtualNetwork id, got a subnet id/],
    ['a gateway VNet missing from the inventory', (f) => f.apps.push(app('z', 'p1', 'ghost')), /gatewayConnections\.0\.vnetId$/, /ghost is not in the inventory/],
    ['an app whose plan is missing', (f) => f.apps.push(app('z', 'nope', null)), /^apps\.\d+\.planId$/, /plan .*nope is not in the inventory/],
    ['duplicate app ids (case-insensitively)', (f) => f.apps.push(app('A1', 'p1', null)), /^apps\.\d+\.id$/, /duplicate id/],
    ['a subnet listed under another VNet', (f) => Object.assign(f.virtualNetworks[2] ?? {}, { subnets: [{ id: subnetId('hub', 'x'), addressPrefix: '10.60.0.0/28' }] }), /^virtualNetworks\.2\.subnets\.0\.id$/, /is not in VNet/],
    ['a subnet prefix with host bits set', (f) => Object.assign(f.virtualNetworks[2] ?? {}, { subnets: [{ id: subnetId('local', 'x'), addressPrefix: '10.60.0.5/28' }] }), /addressPrefix$/, /did you mean '10\.60\.0\.0\/28'/],
    ['an IPv6 VNet prefix', (f) => f.virtualNetworks[2]?.addressPrefixes.push('fd00::/48'), /addressPrefixes\.1$/, /IPv6 is not supported/],
  ])('%s', (_name, mutate, path, message) => {
    const input = fleet();
    mutate(input);
    const issues = issuesOf(input);
    expect(issues.some((i) => path.test(i.path) && message.test(i.message)), JSON.stringify(issues)).toBe(true);
  });

  it('keeps the first issues in an actionable message', () => {
    expect(() => parseInventory({ apps: 'nope' })).toThrow(/The inventory is invalid: apps: .*Re-run the inventory/);
  });
});

describe('locations', () => {
  it.each([
    ['West Europe', 'westeurope', true],
    ['westeurope', 'WestEurope', true],
    ['West Europe', 'North Europe', false],
  ])('sameLocation(%s, %s) is %s', (a, b, same) => {
    expect(sameLocation(a, b)).toBe(same);
    expect(normalizeLocation(a) === normalizeLocation(b)).toBe(same);
  });
});
