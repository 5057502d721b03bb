import { describe, expect, it } from 'vitest';
import { InvalidInventoryError, normalizeLocation, parseInventory, sameLocation } from '../../src/domain/inventory.js';
import { app, fleet, planId, siteId, subnetId, vnetId } from './inventory-fixture.js';

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

  /** The subnets of the fixture's VNet 'local' (virtualNetworks.2), which has none. */
  const localSubnets = (f: ReturnType<typeof fleet>) => {
    const local = f.virtualNetworks[2];
    if (local === undefined) throw new Error('the fixture has no VNet local');
    return (local.subnets ??= []);
  };

  // What ARM itself refuses (NetcfgSubnetRangesOverlap, NetcfgInvalidSubnet, a route ending before it starts): a plan
  // built on such an inventory would be wrong, so each is reported with the field's path, and nothing more.
  it.each<[string, (f: ReturnType<typeof fleet>) => void, { path: string; message: string }[]]>([
    [
      'a route that ends before it starts',
      (f) => f.apps.push(app('z', 'p1', 'hub', { gatewayConnections: [{ vnetId: vnetId('hub'), routes: [{ startAddress: '52.1.0.9', endAddress: '52.1.0.8' }] }] })),
      [{ path: 'apps.9.gatewayConnections.0.routes.0.endAddress', message: 'the route ends (52.1.0.8) before it starts (52.1.0.9)' }],
    ],
    ['a one-address route', (f) => f.apps.push(app('z', 'p1', 'hub', { gatewayConnections: [{ vnetId: vnetId('hub'), routes: [{ startAddress: '52.1.0.9', endAddress: '52.1.0.9' }] }] })), []],
    [
      'VNet address prefixes overlapping, each reported against the wider one before it',
      (f) => f.virtualNetworks[2]?.addressPrefixes.push('10.61.0.0/16', '10.60.0.128/25', '10.61.4.0/24'),
      [
        { path: 'virtualNetworks.2.addressPrefixes.2', message: 'address prefix 10.60.0.128/25 overlaps 10.60.0.0/24' },
        { path: 'virtualNetworks.2.addressPrefixes.3', message: 'address prefix 10.61.4.0/24 overlaps 10.61.0.0/16' },
      ],
    ],
    ['VNet address prefixes side by side', (f) => f.virtualNetworks[2]?.addressPrefixes.push('10.60.1.0/24', '10.59.255.0/24'), []],
    [
      'a subnet outside the address space',
      (f) => localSubnets(f).push({ id: subnetId('local', 'x'), addressPrefix: '10.60.1.0/28' }),
      [{ path: 'virtualNetworks.2.subnets.0.addressPrefix', message: "subnet prefix 10.60.1.0/28 is outside the VNet's address space (10.60.0.0/24)" }],
    ],
    [
      'a subnet inside the second address prefix',
      (f) => {
        f.virtualNetworks[2]?.addressPrefixes.push('10.62.0.0/24');
        localSubnets(f).push({ id: subnetId('local', 'x'), addressPrefix: '10.62.0.16/28' });
      },
      [],
    ],
    [
      'subnets overlapping, including a /32 on the last address of a /31 and one inside a wider earlier subnet',
      (f) =>
        localSubnets(f).push(
          { id: subnetId('local', 'a'), addressPrefix: '10.60.0.0/31' },
          { id: subnetId('local', 'b'), addressPrefix: '10.60.0.1/32' },
          { id: subnetId('local', 'c'), addressPrefix: '10.60.0.64/26' },
          { id: subnetId('local', 'd'), addressPrefix: '10.60.0.72/29' },
          { id: subnetId('local', 'e'), addressPrefix: '10.60.0.96/28' },
          { id: subnetId('local', 'f'), addressPrefix: '10.60.0.128/28' },
        ),
      [
        { path: 'virtualNetworks.2.subnets.1.addressPrefix', message: 'subnet prefix 10.60.0.1/32 overlaps 10.60.0.0/31 of another subnet' },
        { path: 'virtualNetworks.2.subnets.3.addressPrefix', message: 'subnet prefix 10.60.0.72/29 overlaps 10.60.0.64/26 of another subnet' },
        { path: 'virtualNetworks.2.subnets.4.addressPrefix', message: 'subnet prefix 10.60.0.96/28 overlaps 10.60.0.64/26 of another subnet' },
      ],
    ],
    [
      'a malformed subnet prefix: reported once, on its own field',
      (f) => localSubnets(f).push({ id: subnetId('local', 'x'), addressPrefix: '10.60.0/28' }),
      [{ path: 'virtualNetworks.2.subnets.0.addressPrefix', message: expect.stringMatching(/^'10\.60\.0\/28'/) as string }],
    ],
    [
      'a malformed subnet id: reported once, on its own field',
      (f) => localSubnets(f).push({ id: `${vnetId('local')}/subnet/x`, addressPrefix: '10.60.0.0/28' }),
      [{ path: 'virtualNetworks.2.subnets.0.id', message: expect.stringMatching(/segment 9 'subnet' should be 'subnets'/) as string }],
    ],
    [
      'an app id that is a plan id',
      (f) => f.apps.push(app(planId('p9'), 'p1', null)),
      [{ path: 'apps.9.id', message: 'expected a site or slot id, got a serverFarm id' }],
    ],
    [
      'two different malformed app ids: each reported, neither taken for a duplicate',
      (f) => f.apps.push(app('/x', 'p1', null), app('/y', 'p1', null)),
      [
        { path: 'apps.9.id', message: expect.stringMatching(/^Invalid resource id '\/x'/) as string },
        { path: 'apps.10.id', message: expect.stringMatching(/^Invalid resource id '\/y'/) as string },
      ],
    ],
  ])('%s', (_name, mutate, issues) => {
    const input = fleet();
    mutate(input);
    if (issues.length === 0) expect(() => parseInventory(input)).not.toThrow();
    else expect(issuesOf(input)).toEqual(issues);
  });

  it('says how many issues it left out of the message, with a stable code, not retryable', () => {
    const input = fleet();
    for (const name of ['z1', 'z2', 'z3', 'z4', 'z5', 'z6', 'z7']) input.apps.push(app(name, 'nope', null));
    const error = (() => {
      try {
        parseInventory(input);
      } catch (e) {
        return e as InvalidInventoryError;
      }
      throw new Error('expected the inventory to be rejected');
    })();
    expect(error.code).toBe('InvalidInventory');
    expect(error.retryable).toBe(false);
    const issue = (i: number) => `apps.${i}.planId: plan ${planId('nope')} is not in the inventory`;
    expect(error.message).toBe(`The inventory is invalid: ${[9, 10, 11, 12, 13].map(issue).join('; ')} (and 2 more). Re-run the inventory or fix the input.`);
    const five = fleet();
    for (const name of ['z1', 'z2', 'z3', 'z4', 'z5']) five.apps.push(app(name, 'nope', null));
    expect(() => parseInventory(five)).toThrow(`The inventory is invalid: ${[9, 10, 11, 12, 13].map(issue).join('; ')}. Re-run the inventory or fix the input.`);
  });

  it('names the root when the input is not an object', () => {
    expect(() => parseInventory('nope')).toThrow(/^The inventory is invalid: \(root\): /);
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

  it("normalises to ARM's canonical name, as listed by the locations API", () => {
    expect(normalizeLocation('West  Europe')).toBe('westeurope');
    expect(normalizeLocation('North\tCentral US')).toBe('northcentralus');
  });
});

describe('parseInventory: exact issues', () => {
  it('reports the narrower of two prefixes starting at the same address against the wider one', () => {
    const input = fleet();
    input.virtualNetworks[2]?.addressPrefixes.push('10.60.0.0/25');
    expect(issuesOf(input)).toEqual([{ path: 'virtualNetworks.2.addressPrefixes.1', message: 'address prefix 10.60.0.0/25 overlaps 10.60.0.0/24' }]);
  });

  it('names the gateway connection whose VNet is missing, and the plan missing for an app', () => {
    const input = fleet();
    input.apps.push(app('z', 'nope', 'ghost'));
    expect(issuesOf(input)).toEqual([
      { path: 'apps.9.planId', message: `plan ${planId('nope')} is not in the inventory` },
      { path: 'apps.9.gatewayConnections.0.vnetId', message: `gateway VNet ${vnetId('ghost')} is not in the inventory; planning needs its location and address space` },
    ]);
  });

  it('names a duplicate id and a subnet listed under another VNet', () => {
    const input = fleet();
    input.apps.push(app('A1', 'p1', null));
    (input.virtualNetworks[2]!.subnets ??= []).push({ id: subnetId('hub', 'x'), addressPrefix: '10.60.0.0/28' });
    expect(issuesOf(input)).toEqual([
      { path: 'apps.9.id', message: `duplicate id ${siteId('A1')}` },
      { path: 'virtualNetworks.2.subnets.0.id', message: `subnet ${subnetId('hub', 'x')} is not in VNet ${vnetId('local')}` },
    ]);
  });
});

describe('parseInventory: issues that name several prefixes', () => {
  it('reports the narrower of two prefixes starting at the same address even when it is listed first', () => {
    const input = fleet();
    input.virtualNetworks[2]?.addressPrefixes.unshift('10.60.0.0/25');
    expect(issuesOf(input)).toEqual([{ path: 'virtualNetworks.2.addressPrefixes.0', message: 'address prefix 10.60.0.0/25 overlaps 10.60.0.0/24' }]);
  });

  it("lists every address prefix of the VNet when a subnet is outside all of them", () => {
    const input = fleet();
    const local = input.virtualNetworks[2];
    if (local === undefined) throw new Error('fixture changed');
    local.addressPrefixes.push('10.61.0.0/24');
    local.subnets = [{ id: subnetId('local', 'x'), addressPrefix: '10.62.0.0/28' }];
    expect(issuesOf(input)).toEqual([
      { path: 'virtualNetworks.2.subnets.0.addressPrefix', message: "subnet prefix 10.62.0.0/28 is outside the VNet's address space (10.60.0.0/24, 10.61.0.0/24)" },
    ]);
  });
});
