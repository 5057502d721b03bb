import { describe, expect, it } from 'vitest';
import { InvalidApiVersionError, planRouting, type NsgRule, type RoutingInput } from '../../src/domain/routing.js';

const base: RoutingInput = {
  apiVersion: '2025-05-01',
  legacySettings: {},
  appSettingNames: [],
  gatewayRoutes: [],
  gatewayVnetAddressPrefixes: ['10.0.0.0/16'],
  subnetNsgRules: null,
};

const outbound = (applicationTraffic: boolean, imagePullTraffic: boolean, contentShareTraffic: boolean) => ({
  outboundVnetRouting: { applicationTraffic, imagePullTraffic, contentShareTraffic },
});

const rule = (overrides: Partial<NsgRule>): NsgRule => ({
  name: 'r',
  priority: 100,
  direction: 'Outbound',
  access: 'Deny',
  protocol: 'Tcp',
  destinationPortRanges: ['445'],
  destinationAddressPrefix: 'Storage',
  ...overrides,
});

describe('planRouting: translating legacy settings', () => {
  it.each([
    ['nothing set', {}, outbound(false, false, false)],
    ['WEBSITE_VNET_ROUTE_ALL=1', { WEBSITE_VNET_ROUTE_ALL: '1' }, outbound(true, false, false)],
    ['WEBSITE_VNET_ROUTE_ALL=true', { WEBSITE_VNET_ROUTE_ALL: 'true' }, outbound(true, false, false)],
    ['WEBSITE_VNET_ROUTE_ALL=0', { WEBSITE_VNET_ROUTE_ALL: '0' }, outbound(false, false, false)],
    ['WEBSITE_PULL_IMAGE_OVER_VNET=true', { WEBSITE_PULL_IMAGE_OVER_VNET: 'true' }, outbound(false, true, false)],
    ['WEBSITE_CONTENTOVERVNET=1', { WEBSITE_CONTENTOVERVNET: '1' }, outbound(false, false, true)],
    [
      'all three',
      { WEBSITE_VNET_ROUTE_ALL: 'TRUE', WEBSITE_PULL_IMAGE_OVER_VNET: 'true', WEBSITE_CONTENTOVERVNET: '1' },
      outbound(true, true, true),
    ],
  ])('%s', (_name, legacySettings, expected) => {
    expect(planRouting({ ...base, legacySettings }).siteProperties).toEqual(expected);
  });

  it.each([
    ['2025-03-01', true],
    ['2025-05-01', true],
    ['2025-03-01-preview', true],
    ['2024-11-01', false],
    ['2024-04-01', false],
  ])('api-version %s uses outboundVnetRouting: %s', (apiVersion, modern) => {
    const { siteProperties } = planRouting({ ...base, apiVersion, legacySettings: { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' } });
    expect(siteProperties).toEqual(
      modern ? outbound(true, false, true) : { vnetRouteAllEnabled: true, vnetImagePullEnabled: false, vnetContentShareEnabled: true },
    );
  });

  it.each(['latest', 'v2025-05-01', '2025-05-01-beta', '2025-05-01 ', '2025-5-1', ''])('rejects the malformed api-version %j, not retryable, naming it', (apiVersion) => {
    const error = (() => {
      try {
        planRouting({ ...base, apiVersion });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidApiVersionError);
    expect(error).toMatchObject({ retryable: false, details: { apiVersion } });
  });

  it.each([
    ['WEBSITE_VNET_ROUTE_ALL', 'yes'],
    ['WEBSITE_PULL_IMAGE_OVER_VNET', '1'],
    ['WEBSITE_CONTENTOVERVNET', 'true'],
  ])('warns that %s=%s is not a value App Service recognises, and treats it as off', (name, value) => {
    const result = planRouting({ ...base, legacySettings: { [name]: value } });
    expect(result.siteProperties).toEqual(outbound(false, false, false));
    expect(result.warnings.join('\n')).toContain(`${name} has the unrecognised value '${value}'`);
  });

  // Values typed into the portal or a pipeline often carry spaces or a trailing newline; they mean the same value.
  it.each([
    ['WEBSITE_VNET_ROUTE_ALL', ' 1 ', outbound(true, false, false)],
    ['WEBSITE_VNET_ROUTE_ALL', 'true\n', outbound(true, false, false)],
    ['WEBSITE_VNET_ROUTE_ALL', '\t0 ', outbound(false, false, false)],
    ['WEBSITE_PULL_IMAGE_OVER_VNET', ' True ', outbound(false, true, false)],
    ['WEBSITE_PULL_IMAGE_OVER_VNET', 'false ', outbound(false, false, false)],
    ['WEBSITE_CONTENTOVERVNET', '1\r\n', outbound(false, false, true)],
    ['WEBSITE_CONTENTOVERVNET', '  ', outbound(false, false, false)],
  ])('reads %s=%j as the value without its surrounding whitespace, without a warning', (name, value, expected) => {
    const result = planRouting({ ...base, legacySettings: { [name]: value } });
    expect(result.siteProperties).toEqual(expected);
    expect(result.warnings).toEqual([]);
  });

  it('lists the legacy settings present, in the app\'s spelling, for removal afterwards', () => {
    const result = planRouting({
      ...base,
      appSettingNames: ['website_vnet_route_all', 'DB_PASSWORD', 'WEBSITE_CONTENTOVERVNET', 'WEBSITE_RUN_FROM_PACKAGE'],
    });
    expect(result.legacySettingsToRemove).toEqual(['WEBSITE_CONTENTOVERVNET', 'website_vnet_route_all']);
  });
});

describe('planRouting: why each value is what it is', () => {
  it('explains every routing value, in order, when everything goes through the VNet', () => {
    const result = planRouting({
      ...base,
      legacySettings: { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_PULL_IMAGE_OVER_VNET: 'true', WEBSITE_CONTENTOVERVNET: '1' },
      // The connection and the plan often list the same range: it is named once.
      gatewayRoutes: [
        { startAddress: '52.10.0.0', endAddress: '52.10.0.255' },
        { startAddress: '10.1.0.0', endAddress: '10.1.0.255' },
        { startAddress: '52.10.0.0', endAddress: '52.10.0.255' },
        { startAddress: '20.1.0.0', endAddress: '20.1.0.15' },
      ],
      gatewayVnetAddressPrefixes: ['10.0.0.0/16', '100.64.0.0/24', '198.18.0.0/24'],
    });
    expect(result.reasons).toEqual([
      'Application traffic goes through the VNet: WEBSITE_VNET_ROUTE_ALL is on.',
      'Application traffic goes through the VNet: the gateway routed 52.10.0.0-52.10.0.255, 20.1.0.0-20.1.0.15 outside RFC 1918, which regional integration would otherwise send to the internet.',
      'Application traffic goes through the VNet: the VNet address space includes 100.64.0.0/24, 198.18.0.0/24 outside RFC 1918, which regional integration routes only when all traffic is routed.',
      'Container image pull goes through the VNet: WEBSITE_PULL_IMAGE_OVER_VNET is true.',
      'Content share goes through the VNet: WEBSITE_CONTENTOVERVNET is 1.',
      'api-version 2025-05-01 uses outboundVnetRouting (since 2025-03-01).',
    ]);
  });

  it('explains the defaults, and the flat properties of an older api-version', () => {
    const result = planRouting({ ...base, apiVersion: '2024-11-01' });
    expect(result.siteProperties).toEqual({ vnetRouteAllEnabled: false, vnetImagePullEnabled: false, vnetContentShareEnabled: false });
    expect(result.reasons).toEqual([
      'Application traffic stays on the default (RFC 1918 only): no route-all setting and every gateway destination is private.',
      'Container image pull stays public: WEBSITE_PULL_IMAGE_OVER_VNET is not set to true.',
      'Content share stays public: WEBSITE_CONTENTOVERVNET is not set to 1.',
      'api-version 2024-11-01 predates 2025-03-01: using the flat vnet*Enabled properties.',
    ]);
  });

  it('says which values App Service would have taken for an unrecognised one', () => {
    const result = planRouting({ ...base, legacySettings: { WEBSITE_VNET_ROUTE_ALL: 'yes', WEBSITE_PULL_IMAGE_OVER_VNET: '1', WEBSITE_CONTENTOVERVNET: 'on' } });
    expect(result.warnings).toEqual([
      "WEBSITE_VNET_ROUTE_ALL has the unrecognised value 'yes'; App Service enables it only with '1' or 'true', so it is treated as off.",
      "WEBSITE_PULL_IMAGE_OVER_VNET has the unrecognised value '1'; App Service enables it only with 'true', so it is treated as off.",
      "WEBSITE_CONTENTOVERVNET has the unrecognised value 'on'; App Service enables it only with '1', so it is treated as off.",
    ]);
  });

  it('refuses a malformed api-version with a stable code and a message showing the expected form', () => {
    expect(() => planRouting({ ...base, apiVersion: '2025-05' })).toThrow(
      expect.objectContaining({ code: 'InvalidApiVersion', message: "'2025-05' is not an ARM api-version (expected YYYY-MM-DD, optionally with -preview)." }),
    );
  });
});

describe('planRouting: destinations outside RFC 1918', () => {
  it.each([
    ['private routes only', [{ startAddress: '10.0.0.0', endAddress: '10.0.255.255' }], ['10.0.0.0/16'], false, /RFC 1918 only/],
    ['a public gateway route', [{ startAddress: '52.10.0.0', endAddress: '52.10.0.255' }], ['10.0.0.0/16'], true, /52\.10\.0\.0-52\.10\.0\.255 outside RFC 1918/],
    ['a route crossing out of 10/8', [{ startAddress: '10.255.0.0', endAddress: '11.0.0.255' }], ['10.0.0.0/16'], true, /outside RFC 1918/],
    ['public VNet address space', [], ['10.0.0.0/16', '100.64.0.0/24'], true, /address space includes 100\.64\.0\.0\/24/],
  ])('%s -> application traffic %s', (_name, gatewayRoutes, gatewayVnetAddressPrefixes, expected, reason) => {
    const result = planRouting({ ...base, gatewayRoutes, gatewayVnetAddressPrefixes });
    expect(result.siteProperties).toEqual(outbound(expected, false, false));
    expect(result.reasons.join('\n')).toMatch(reason);
  });
});

describe('planRouting: content share needs 443 and 445 outbound on the subnet NSG', () => {
  const contentShare = { WEBSITE_CONTENTOVERVNET: '1' };
  type NsgCase = readonly [name: string, subnetNsgRules: readonly NsgRule[] | null, blockedPorts: readonly number[]];
  it.each<NsgCase>([
    ['no NSG', null, []],
    ['NSG without rules (Azure defaults allow)', [], []],
    ['deny 445 to Storage', [rule({ name: 'deny-smb' })], [445]],
    ['deny 443 and 445 via a range to Internet', [rule({ name: 'lock', destinationPortRanges: ['400-500'], destinationAddressPrefix: 'Internet' })], [443, 445]],
    ['deny * overridden by a higher-priority allow', [rule({ priority: 200, destinationPortRanges: ['*'], destinationAddressPrefix: '*' }), rule({ priority: 100, access: 'Allow', destinationPortRanges: ['443', '445'] })], []],
    ['deny only to a private range does not block Storage', [rule({ destinationAddressPrefix: '10.0.0.0/8' })], []],
    ['inbound deny is irrelevant', [rule({ direction: 'Inbound' })], []],
    ['UDP deny is irrelevant', [rule({ protocol: 'Udp' })], []],
    ['deny to a regional Storage tag', [rule({ destinationAddressPrefix: 'Storage.WestEurope', destinationPortRanges: ['443'] })], [443]],
    // Port ranges: inclusive at both ends, a single port matches only itself, spaces are ignored, garbage matches nothing.
    ['deny a range ending at 445', [rule({ destinationPortRanges: ['444-445'] })], [445]],
    ['deny a range starting at 443', [rule({ destinationPortRanges: ['443-444'] })], [443]],
    ['deny a range between the two', [rule({ destinationPortRanges: ['444-444'] })], []],
    ['deny a range above both', [rule({ destinationPortRanges: ['446-1000'] })], []],
    ['deny a range below both', [rule({ destinationPortRanges: ['1-442'] })], []],
    ['deny ports written with spaces', [rule({ destinationPortRanges: [' 443 ', ' 440 - 450 '] })], [443, 445]],
    ['deny with an unreadable port range', [rule({ destinationPortRanges: ['https', '443-x'] })], []],
    ['deny port 80 only', [rule({ destinationPortRanges: ['80'] })], []],
    // Destinations that cover Storage, whatever their case and spacing; others do not.
    ...['*', 'Any', 'Internet', ' storage ', 'Storage', '0.0.0.0/0'].map((prefix) => [`deny 445 to ${JSON.stringify(prefix)}`, [rule({ destinationAddressPrefix: prefix })], [445]] as const),
    ...['VirtualNetwork', 'AzureCloud.WestEurope', '0.0.0.0/1', 'Storages'].map((prefix) => [`deny 445 to ${JSON.stringify(prefix)}`, [rule({ destinationAddressPrefix: prefix })], []] as const),
    ['any-protocol deny counts', [rule({ protocol: '*' })], [445]],
    ['"Any" protocol deny counts', [rule({ protocol: 'Any' })], [445]],
    ['an allow of 445 below a deny of 445 does not help', [rule({ priority: 100 }), rule({ priority: 200, access: 'Allow' })], [445]],
  ])('%s', (_name, subnetNsgRules, blockedPorts) => {
    const result = planRouting({ ...base, legacySettings: contentShare, subnetNsgRules });
    const warned = [443, 445].filter((port) => result.warnings.some((w) => w.includes(`outbound TCP ${port} `)));
    expect(warned).toEqual(blockedPorts);
  });

  it("names the deciding rule, its priority and the port in the warning", () => {
    const result = planRouting({ ...base, legacySettings: contentShare, subnetNsgRules: [rule({ name: 'deny-smb', priority: 310 })] });
    expect(result.warnings).toEqual([
      "Content share over the VNet needs outbound TCP 445 to Storage, but NSG rule 'deny-smb' (priority 310) on the integration subnet denies it: allow it before migrating or the app loses its content.",
    ]);
  });

  it('does not check the NSG when content share stays public', () => {
    expect(planRouting({ ...base, subnetNsgRules: [rule({})] }).warnings).toEqual([]);
  });
});

describe('planRouting: the values each switch reads as off', () => {
  it.each([
    ['WEBSITE_VNET_ROUTE_ALL', '0'],
    ['WEBSITE_VNET_ROUTE_ALL', 'false'],
    ['WEBSITE_VNET_ROUTE_ALL', ''],
    ['WEBSITE_PULL_IMAGE_OVER_VNET', 'false'],
    ['WEBSITE_PULL_IMAGE_OVER_VNET', ''],
    ['WEBSITE_CONTENTOVERVNET', '0'],
    ['WEBSITE_CONTENTOVERVNET', ''],
  ])('%s=%j is off, without a warning', (name, value) => {
    const result = planRouting({ ...base, legacySettings: { [name]: value } });
    expect(result.siteProperties).toEqual(outbound(false, false, false));
    expect(result.warnings).toEqual([]);
  });

  it('a deny of every port ("*") to Storage blocks both content share ports', () => {
    const result = planRouting({ ...base, legacySettings: { WEBSITE_CONTENTOVERVNET: '1' }, subnetNsgRules: [rule({ destinationPortRanges: ['*'] })] });
    expect(result.warnings.map((w) => /outbound TCP (\d+) /.exec(w)?.[1])).toEqual(['443', '445']);
  });
});
