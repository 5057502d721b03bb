import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/schema.js';
import { ScenarioError } from '../../src/scenario/errors.js';

const site = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a';

describe('scenario schema', () => {
  it('accepts a full scenario and returns it unchanged', () => {
    const scenario = {
      name: 'x', clockFactor: 60, latency: { default: { min: 10, max: 20 }, perOperation: { 'PUT Microsoft.Web/sites': 500 } },
      resources: [{ id: site, apiVersion: '2025-05-01', body: { location: 'westeurope' } }],
      dependencies: [{ appId: site, target: 'db.internal:1433' }], dns: { 'db.internal': '10.0.0.4' },
      onPremises: [{ name: 'dc', gatewayId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/g', addressPrefixes: ['192.168.0.0/16'] }],
      faults: [{ kind: 'http503-retry-after', method: 'put', pathPattern: 'subnets', count: 2, retryAfterSeconds: 1 }],
      rbac: { enabled: true, roles: [], assignments: [{ principalId: 'p', roleName: 'Reader', scope: '/' }] },
      restartDurationMs: 15000, longRunningOperationMs: 2000, throttling: false,
    };
    expect(parseScenario(scenario)).toEqual(scenario);
  });

  it('reports every problem with its path', () => {
    let error: unknown;
    try {
      parseScenario({ name: '', resources: [{ id: 'sites/a', body: {} }], dns: { h: '999.1.1.1' }, faults: [{ kind: 'explode' }, { kind: 'reset', probability: 2 }], extra: 1 }, 'demo.json');
    } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ScenarioError);
    const e = error as ScenarioError;
    expect(e.code).toBe('ScenarioInvalid');
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/^demo\.json is not a valid scenario:/);
    const paths = e.issues.map((i) => i.split(':')[0]);
    expect(paths).toEqual(expect.arrayContaining(['name', 'resources[0].id', 'dns.h', 'faults[0].kind', 'faults[1].probability', '(root)']));
  });
});

describe('documented example', () => {
  it('the JSON example in tools/arm-simulator/docs/simulator-world.md is a valid scenario', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../docs/simulator-world.md', import.meta.url), 'utf8');
    const json = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(json).toBeDefined();
    expect(parseScenario(JSON.parse(json ?? ''), 'docs example').name).toBe('one-app');
  });
});
