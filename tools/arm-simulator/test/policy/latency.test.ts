import { describe, expect, it } from 'vitest';
import { createLatencyModel, operationKey } from '../../src/policy/latency.js';
import { armRequest, siteId, SUB_A, subnetId } from './arm-request.js';

describe('latency model', () => {
  it('keys operations as METHOD Provider/type/childType', () => {
    expect(operationKey(armRequest('PUT', subnetId(SUB_A, 'v', 's')))).toBe('PUT Microsoft.Network/virtualNetworks/subnets');
    expect(operationKey(armRequest('GET', `${siteId(SUB_A, 'a')}/slots`))).toBe('GET Microsoft.Web/sites/slots');
  });

  it('uses the per-operation value (case-insensitive), else the default, else 0', () => {
    const model = createLatencyModel({ default: 20, perOperation: { 'put microsoft.network/virtualnetworks/subnets': 1500 } });
    expect(model.delayFor(armRequest('PUT', subnetId(SUB_A, 'v', 's')))).toBe(1500);
    expect(model.delayFor(armRequest('GET', siteId(SUB_A, 'a')))).toBe(20);
    expect(createLatencyModel().delayFor(armRequest('GET', siteId(SUB_A, 'a')))).toBe(0);
  });

  it('uniform samples stay in range and replay per seed; normal samples centre on the mean', () => {
    const req = armRequest('GET', siteId(SUB_A, 'a'));
    const uniform = (seed: number) => { const m = createLatencyModel({ default: { min: 100, max: 200 } }, seed); return Array.from({ length: 500 }, () => m.delayFor(req)); };
    const u = uniform(7);
    expect(u.every((x) => x >= 100 && x < 200)).toBe(true);
    expect(uniform(7)).toEqual(u);
    const normal = createLatencyModel({ default: { mean: 1000, stddev: 100 } }, 3);
    const samples = Array.from({ length: 4000 }, () => normal.delayFor(req));
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length);
    expect(mean).toBeGreaterThan(990);
    expect(mean).toBeLessThan(1010);
    expect(sd).toBeGreaterThan(90);
    expect(sd).toBeLessThan(110);
  });
});
