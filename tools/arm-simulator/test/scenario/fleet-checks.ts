import type { Scenario } from '../../src/contract.js';
import { parseCidr, rangesOverlap, type Ipv4Range } from '../../src/world/ipv4.js';

import { resourceType as typeOf } from '../../src/world/from-scenario.js';
export const ofType = (s: Scenario, type: string) => s.resources.filter((r) => typeOf(r.id) === type.toLowerCase());

interface VnetBody { location: string; properties: { addressSpace: { addressPrefixes: string[] }; subnets: { name: string; properties: { addressPrefix: string } }[] } }

/** Problems with address math: subnets overlapping each other or outside their VNet; peered VNets overlapping. */
export function addressProblems(s: Scenario): string[] {
  const problems: string[] = [];
  for (const vnet of ofType(s, 'Microsoft.Network/virtualNetworks')) {
    const body = vnet.body as unknown as VnetBody;
    const space = body.properties.addressSpace.addressPrefixes.map((p) => parseCidr(p));
    const subnets = body.properties.subnets.map((sn) => ({ name: sn.name, range: parseCidr(sn.properties.addressPrefix) }));
    for (const [i, a] of subnets.entries()) {
      if (a.range === undefined) { problems.push(`${vnet.id}/${a.name}: bad prefix`); continue; }
      const r: Ipv4Range = a.range;
      if (!space.some((sp) => sp !== undefined && r.first >= sp.first && r.last <= sp.last)) problems.push(`${vnet.id}/${a.name}: outside the address space`);
      for (const b of subnets.slice(i + 1)) if (b.range !== undefined && rangesOverlap(r, b.range)) problems.push(`${vnet.id}: ${a.name} overlaps ${b.name}`);
    }
  }
  return problems;
}

/** References that point at nothing: a site's plan, a connection's VNet, a regional subnet, a peering's remote. */
export function danglingReferences(s: Scenario): string[] {
  const ids = new Set(s.resources.map((r) => r.id.toLowerCase()));
  const subnets = new Set(ofType(s, 'Microsoft.Network/virtualNetworks').flatMap((v) => (v.body as unknown as VnetBody).properties.subnets.map((sn) => `${v.id}/subnets/${sn.name}`.toLowerCase())));
  const problems: string[] = [];
  for (const r of [...ofType(s, 'Microsoft.Web/sites'), ...ofType(s, 'Microsoft.Web/sites/slots')]) {
    const p = (r.body as { properties: { serverFarmId: string; virtualNetworkSubnetId?: string } }).properties;
    if (!ids.has(p.serverFarmId.toLowerCase())) problems.push(`${r.id}: plan ${p.serverFarmId} missing`);
    if (p.virtualNetworkSubnetId !== undefined && !subnets.has(p.virtualNetworkSubnetId.toLowerCase())) problems.push(`${r.id}: subnet missing`);
  }
  for (const r of s.resources.filter((x) => /\/virtualNetworkConnections\//i.test(x.id))) {
    const vnet = (r.body as { properties: { vnetResourceId: string } }).properties.vnetResourceId;
    if (!ids.has(vnet.toLowerCase())) problems.push(`${r.id}: VNet ${vnet} missing`);
    if (!ids.has(r.id.replace(/\/virtualNetworkConnections\/.*$/i, '').toLowerCase())) problems.push(`${r.id}: owner missing`);
  }
  for (const r of ofType(s, 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings')) {
    const remote = (r.body as { properties: { remoteVirtualNetwork: { id: string } } }).properties.remoteVirtualNetwork.id;
    if (!ids.has(remote.toLowerCase())) problems.push(`${r.id}: remote missing`);
  }
  const position = new Map(s.resources.map((r, i) => [r.id.toLowerCase(), i]));
  for (const [i, r] of s.resources.entries()) {
    const parent = r.id.replace(/\/[^/]+\/[^/]+$/, '').toLowerCase();
    const at = position.get(parent);
    if (at !== undefined && at > i) problems.push(`${r.id}: PUT before its parent`);
  }
  return problems;
}
