import { describe, expect, it } from 'vitest';
import { generateFleet } from '../../src/scenario/generate.js';
import { parseScenario } from '../../src/scenario/schema.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { createVerificationWorld } from '../../src/world/reachability.js';
import { worldViewFromScenario } from '../../src/world/from-scenario.js';
import { parseCidr, rangesOverlap } from '../../src/world/ipv4.js';
import { addressProblems, danglingReferences, ofType } from './fleet-checks.js';

describe('generated fleets', () => {
  const fleet = generateFleet({ apps: 1000, seed: 7 });

  it('has the requested number of apps, passes the schema, and has sound references and address math', () => {
    expect(ofType(fleet, 'Microsoft.Web/sites')).toHaveLength(1000);
    expect(() => parseScenario(fleet)).not.toThrow();
    expect(addressProblems(fleet)).toEqual([]);
    expect(danglingReferences(fleet)).toEqual([]);
  });

  it('never overlaps two VNets, so any peering is valid', () => {
    const spaces = ofType(fleet, 'Microsoft.Network/virtualNetworks').map((v) => parseCidr((v.body as { properties: { addressSpace: { addressPrefixes: string[] } } }).properties.addressSpace.addressPrefixes[0] ?? ''));
    const sorted = spaces.map((s) => { if (s === undefined) throw new Error('bad'); return s; }).sort((a, b) => a.first - b.first);
    for (let i = 1; i < sorted.length; i++) expect(rangesOverlap(sorted[i - 1]!, sorted[i]!)).toBe(false);
  });

  it('is identical for the same seed and differs for another', () => {
    expect(generateFleet({ apps: 1000, seed: 7 })).toEqual(fleet);
    expect(JSON.stringify(generateFleet({ apps: 1000, seed: 8 }).resources)).not.toEqual(JSON.stringify(fleet.resources));
  });

  it('spreads over the requested subscriptions and regions, with variants present', () => {
    const f = generateFleet({ apps: 2000, seed: 3, subscriptions: 4, regions: ['westeurope', 'northeurope', 'swedencentral'] });
    const sites = ofType(f, 'Microsoft.Web/sites');
    expect(new Set(sites.map((s) => s.id.split('/')[2])).size).toBe(4);
    expect(new Set(sites.map((s) => s.body.location)).size).toBe(3);
    expect(ofType(f, 'Microsoft.Web/sites/slots').length).toBeGreaterThan(0);
    expect(sites.some((s) => s.body.kind === 'app,linux')).toBe(true);
  });

  it('every dependency of a generated fleet is reachable before migration', () => {
    const world = createVerificationWorld(worldViewFromScenario(fleet));
    const broken = (fleet.dependencies ?? []).filter((d) => !world.reach(d.appId, d.target, 0).reachable);
    expect(broken).toEqual([]);
  });

  // Generation and seeding speed are measured in bench/simulator.ts (docs/benchmarks.md), not asserted here.
  it('generates 10,000 apps with sound address math', () => {
    const big = generateFleet({ apps: 10_000, seed: 1 });
    expect(ofType(big, 'Microsoft.Web/sites')).toHaveLength(10_000);
    expect(addressProblems(big)).toEqual([]);
  });

  it('rejects impossible sizes', () => {
    expect(() => generateFleet({ apps: 0 })).toThrow(ScenarioError);
    expect(() => generateFleet({ apps: 10_000_000 })).toThrow(/between 1 and/);
  });
});
