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

  it('rejects a malformed api-version', () => {
    expect(() => planRouting({ ...base, apiVersion: 'latest' })).toThrow(InvalidApiVersionError);
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
  it.each([
    ['no NSG', null, []],
    ['NSG without rules (Azure defaults allow)', [], []],
    ['deny 445 to Storage', [rule({ name: 'deny-smb' })], [445]],
    ['deny 443 and 445 via a range to Internet', [rule({ name: 'lock', destinationPortRanges: ['400-500'], destinationAddressPrefix: 'Internet' })], [443, 445]],
    ['deny * overridden by a higher-priority allow', [rule({ priority: 200, destinationPortRanges: ['*'], destinationAddressPrefix: '*' }), rule({ priority: 100, access: 'Allow', destinationPortRanges: ['443', '445'] })], []],
    ['deny only to a private range does not block Storage', [rule({ destinationAddressPrefix: '10.0.0.0/8' })], []],
    ['inbound deny is irrelevant', [rule({ direction: 'Inbound' })], []],
    ['UDP deny is irrelevant', [rule({ protocol: 'Udp' })], []],
    ['deny to a regional Storage tag', [rule({ destinationAddressPrefix: 'Storage.WestEurope', destinationPortRanges: ['443'] })], [443]],
  ])('%s', (_name, subnetNsgRules, blockedPorts) => {
    const result = planRouting({ ...base, legacySettings: contentShare, subnetNsgRules });
    const warned = [443, 445].filter((port) => result.warnings.some((w) => w.includes(`outbound TCP ${port} `)));
    expect(warned).toEqual(blockedPorts);
  });

  it('does not check the NSG when content share stays public', () => {
    expect(planRouting({ ...base, subnetNsgRules: [rule({})] }).warnings).toEqual([]);
  });
});
