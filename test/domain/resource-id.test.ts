import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidResourceIdError,
  compareResourceIds,
  formatResourceId,
  parentVnetOf,
  parseResourceId,
  parseResourceIdOf,
  resourceIdKey,
  sameResourceId,
  siteOf,
  type ResourceId,
} from '../../src/domain/resource-id.js';

const SUB = '00000000-1111-2222-3333-444444444444';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-app`;

describe('parseResourceId', () => {
  it.each([
    [`/subscriptions/${SUB}`, { kind: 'subscription', subscriptionId: SUB }],
    [RG, { kind: 'resourceGroup', subscriptionId: SUB, resourceGroup: 'rg-app' }],
    [`${RG}/providers/Microsoft.Web/sites/shop`, { kind: 'site', name: 'shop' }],
    [`${RG}/providers/Microsoft.Web/sites/shop/slots/staging`, { kind: 'slot', site: 'shop', name: 'staging' }],
    [`${RG}/providers/Microsoft.Web/serverfarms/plan-1`, { kind: 'serverFarm', name: 'plan-1' }],
    [`${RG}/providers/Microsoft.Network/virtualNetworks/vnet-a`, { kind: 'virtualNetwork', name: 'vnet-a' }],
    [`${RG}/providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/s1`, { kind: 'subnet', virtualNetwork: 'vnet-a', name: 's1' }],
    [
      `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-a/virtualNetworkPeerings/to-b`,
      { kind: 'virtualNetworkPeering', virtualNetwork: 'vnet-a', name: 'to-b' },
    ],
    [`${RG}/providers/Microsoft.Network/virtualNetworkGateways/gw`, { kind: 'virtualNetworkGateway', name: 'gw' }],
    [`${RG}/providers/Microsoft.Network/networkSecurityGroups/nsg`, { kind: 'networkSecurityGroup', name: 'nsg' }],
  ])('parses %s and formats it back unchanged', (id, expected) => {
    const parsed = parseResourceId(id);
    expect(parsed).toMatchObject(expected);
    expect(formatResourceId(parsed)).toBe(id);
  });

  it('accepts any casing of keywords and formats them canonically, keeping the names as given', () => {
    const parsed = parseResourceId(`/SUBSCRIPTIONS/${SUB}/resourcegroups/RG-App/PROVIDERS/microsoft.web/ServerFarms/Plan-1`);
    expect(parsed).toEqual({ kind: 'serverFarm', subscriptionId: SUB, resourceGroup: 'RG-App', name: 'Plan-1' });
    expect(formatResourceId(parsed)).toBe(`/subscriptions/${SUB}/resourceGroups/RG-App/providers/Microsoft.Web/serverfarms/Plan-1`);
  });

  it('takes resource group names with non-ASCII letters and digits, as ARM does, and compares them case-insensitively', () => {
    const id = `/subscriptions/${SUB}/resourceGroups/Produktion-Zürich_東京(١)/providers/Microsoft.Web/sites/shop`;
    expect(parseResourceId(id)).toEqual({ kind: 'site', subscriptionId: SUB, resourceGroup: 'Produktion-Zürich_東京(١)', name: 'shop' });
    expect(formatResourceId(parseResourceId(id))).toBe(id);
    expect(sameResourceId(id, id.replace('Zürich', 'ZÜRICH'))).toBe(true);
    expect(sameResourceId(id, id.replace('Zürich', 'Zurich'))).toBe(false);
  });

  it.each([
    ['', /it is empty/, undefined],
    [`subscriptions/${SUB}`, /must start with '\/subscriptions\/'/, undefined],
    [`/subscription/${SUB}`, /segment 1 'subscription' should be 'subscriptions'/, 1],
    ['/subscriptions/not-a-guid', /segment 2 'not-a-guid' should be a subscription GUID/, 2],
    [`/subscriptions/${SUB}/resourcegroup/rg`, /segment 3 'resourcegroup' should be 'resourceGroups'/, 3],
    [`/subscriptions/${SUB}/resourceGroups/`, /segment 4 is empty: expected the resource group name/, 4],
    [`${RG}/providers/Microsoft.Compute/virtualMachines/vm`, /segment 6 'Microsoft.Compute' should be 'Microsoft.Web' or 'Microsoft.Network'/, 6],
    [`${RG}/providers/Microsoft.Web/site/shop`, /segment 7 'site' should be 'sites' or 'serverfarms'/, 7],
    [`${RG}/providers/Microsoft.Web/sites//slots/x`, /segment 8 is empty: expected the sites name/, 8],
    [`${RG}/providers/Microsoft.Web/sites/shop/slot/x`, /segment 9 'slot' should be 'slots'/, 9],
    [`${RG}/providers/Microsoft.Web/sites/shop/slots`, /segment 10 is empty: expected the slots name/, 10],
    [`${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s/extra`, /segment 11 'extra' is unexpected: a subnet id ends at segment 10/, 11],
    [`${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s/`, /trailing '\/' after a complete subnet id/, 11],
    [`${RG}/providers/Microsoft.Web/serverfarms/p/sites`, /segment 9 'sites' is unexpected: a serverFarm id ends at segment 8/, 9],
    [`${RG}/providers/Microsoft.Web/sites/my app`, /segment 8 'my app' should be a sites name without/, 8],
    [`${RG}/providers`, /segment 6 is missing: expected 'Microsoft.Web' or 'Microsoft.Network'/, 6],
    [`${RG}/providers/Microsoft.Web/sites/${'s'.repeat(91)}`, /^Invalid resource id '.*': segment 8 is 91 characters: a sites name is at most 90\.$/, 8],
  ])('rejects %j naming the bad segment', (id, message, segment) => {
    let caught: unknown;
    try {
      parseResourceId(id);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidResourceIdError);
    const error = caught as InvalidResourceIdError;
    expect(error.code).toBe('InvalidResourceId');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(message);
    expect(error.details?.['segment']).toBe(segment);
  });
});

describe('refusals that name what was expected', () => {
  it.each([
    [`/subscriptions/`, /^Invalid resource id '\/subscriptions\/': segment 2 is empty: expected the subscription id\.$/],
    [`${RG}/providers/Microsoft.Web/serverfarms/p//x`, /segment 9 '' is unexpected: a serverFarm id ends at segment 8\.$/],
  ])('%s', (id, message) => {
    expect(() => parseResourceId(id)).toThrow(message);
  });
});

describe('what a refusal keeps in its details', () => {
  const refusal = (id: string): unknown => {
    try {
      parseResourceId(id);
    } catch (error) {
      return (error as InvalidResourceIdError).details;
    }
    throw new Error(`expected ${id} to be refused`);
  };

  it.each<[string, string, Record<string, unknown>]>([
    ['an over-long name: its first 40 characters', `${RG}/providers/Microsoft.Web/sites/${'s'.repeat(91)}`, { segment: 8, value: `${'s'.repeat(40)}…`, expected: 'at most 90 characters' }],
    ['an empty name', `/subscriptions/${SUB}/resourceGroups/`, { segment: 4, value: '', expected: 'resource group name' }],
    ['a missing name', `${RG}/providers/Microsoft.Web/sites`, { segment: 8, value: '', expected: 'sites name' }],
    ['an extra segment', `${RG}/providers/Microsoft.Web/serverfarms/p/x`, { segment: 9, value: 'x', expected: 'end of id' }],
  ])('%s', (_label, id, details) => {
    expect(refusal(id)).toMatchObject({ id, ...details });
  });

  it('an id of the wrong kind: the kind it is and the kind expected', () => {
    const id = `${RG}/providers/Microsoft.Web/serverfarms/p`;
    expect(() => parseResourceIdOf(id, 'site')).toThrow(
      expect.objectContaining({ details: { id, problem: 'expected a site id but this is a serverFarm id', value: 'serverFarm', expected: 'site' } }) as Error,
    );
  });
});

describe('identity and helpers', () => {
  const subnet = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/s1`;

  it.each([
    [subnet, subnet.toUpperCase().replace(SUB.toUpperCase(), SUB), true],
    [subnet, subnet.replace('s1', 'S1'), true],
    [subnet, subnet.replace('s1', 's2'), false],
    [`${RG}/providers/Microsoft.Web/sites/a`, `${RG}/providers/microsoft.web/SITES/A`, true],
  ])('sameResourceId(%s, %s) is %s', (a, b, same) => {
    expect(sameResourceId(a, b)).toBe(same);
    expect(resourceIdKey(a) === resourceIdKey(b)).toBe(same);
  });

  it('finds the parent VNet of a subnet and the site of a slot', () => {
    expect(formatResourceId(parentVnetOf(parseResourceIdOf(subnet, 'subnet')))).toBe(
      `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-a`,
    );
    expect(formatResourceId(siteOf(parseResourceIdOf(`${RG}/providers/Microsoft.Web/sites/shop/slots/stg`, 'slot')))).toBe(
      `${RG}/providers/Microsoft.Web/sites/shop`,
    );
  });

  it('rejects an id of the wrong kind where one kind is expected', () => {
    expect(() => parseResourceIdOf(`${RG}/providers/Microsoft.Network/virtualNetworks/vnet-a`, 'subnet')).toThrow(
      /expected a subnet id but this is a virtualNetwork id/,
    );
  });

  it('sorts case-insensitively and totally', () => {
    expect(['/b', '/A', '/a', '/B'].sort(compareResourceIds)).toEqual(['/A', '/a', '/B', '/b']);
  });
});

describe('round trip (property)', () => {
  const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._()-]{0,20}$/);
  const guid = fc.uuid();
  const scoped = fc.record({ subscriptionId: guid, resourceGroup: name });
  const anyId: fc.Arbitrary<ResourceId> = fc.oneof(
    guid.map((subscriptionId): ResourceId => ({ kind: 'subscription', subscriptionId })),
    scoped.map((s): ResourceId => ({ kind: 'resourceGroup', ...s })),
    fc.tuple(scoped, fc.constantFrom('site', 'serverFarm', 'virtualNetwork', 'virtualNetworkGateway', 'networkSecurityGroup' as const), name).map(
      ([s, kind, n]): ResourceId => ({ kind, ...s, name: n }),
    ),
    fc.tuple(scoped, name, name).map(([s, site, n]): ResourceId => ({ kind: 'slot', ...s, site, name: n })),
    fc.tuple(scoped, fc.constantFrom('subnet', 'virtualNetworkPeering' as const), name, name).map(
      ([s, kind, virtualNetwork, n]): ResourceId => ({ kind, ...s, virtualNetwork, name: n }),
    ),
  );

  it('parse(format(id)) is id, and the upper-cased text is the same resource', () => {
    let runs = 0;
    const details = fc.check(
      fc.property(anyId, (id) => {
        runs += 1;
        const text = formatResourceId(id);
        expect(parseResourceId(text)).toEqual(id);
        expect(sameResourceId(text, text.toUpperCase().replace(/^\/SUBSCRIPTIONS\/[^/]+/, `/subscriptions/${id.subscriptionId}`))).toBe(true);
      }),
      { numRuns: 1000, seed: 11 },
    );
    expect(details.failed, fc.defaultReportMessage(details) ?? '').toBe(false);
    expect(runs).toBe(1000);
  });
});
