import { describe, expect, it } from 'vitest';
import { createFaultPolicy } from '../../src/policy/faults.js';
import { FaultRuleError, FaultStore } from '../../src/fault-store.js';
import type { PolicyVerdict } from '../../src/contract.js';
import { armRequest, siteId, SUB_A, subnetId } from './arm-request.js';

const subnetPut = () => armRequest('PUT', subnetId(SUB_A, 'vnet1', 'snet1'));
const siteGet = () => armRequest('GET', siteId(SUB_A, 'app1'));

describe('FaultStore', () => {
  it('lists, adds with generated ids, removes and clears', () => {
    const store = new FaultStore();
    const a = store.add({ kind: 'http500' });
    const b = store.add({ kind: 'reset', id: 'mine' });
    expect(a.id).toBe('fault-1');
    expect(store.list().map((r) => r.id)).toEqual(['fault-1', 'mine']);
    expect(store.remove(b.id)).toBe(true);
    expect(store.remove('nope')).toBe(false);
    store.clear();
    expect(store.list()).toEqual([]);
  });

  it('rejects invalid rules', () => {
    const store = new FaultStore();
    expect(() => store.add({ kind: 'http500', pathPattern: '(' })).toThrow(FaultRuleError);
    expect(() => store.add({ kind: 'http500', probability: 2 })).toThrow(FaultRuleError);
    expect(() => store.add({ kind: 'http500', count: 0 })).toThrow(FaultRuleError);
    expect(() => store.add({ kind: 'http429', retryAfterSeconds: -1 })).toThrow(FaultRuleError);
    expect(store.list()).toEqual([]);
  });

  it('replaces a rule re-added with the same id, and counts what a rule fired until it retires', () => {
    const store = new FaultStore();
    store.add({ kind: 'http500', id: 'x', count: 5 });
    store.add({ kind: 'reset', id: 'x', count: 2 });
    expect(store.list()).toEqual([{ kind: 'reset', id: 'x', count: 2, fired: 0, remaining: 2 }]);
    expect(store.consume('x')).toBe(true);
    expect(store.list()).toEqual([{ kind: 'reset', id: 'x', count: 2, fired: 1, remaining: 1 }]);
    expect(store.consume('x')).toBe(true);
    expect(store.consume('x')).toBe(false);
    store.add({ kind: 'hang', id: 'forever' });
    store.consume('forever');
    store.consume('forever');
    expect(store.list()).toEqual([{ kind: 'hang', id: 'forever', fired: 2 }]);
  });
});

describe('fault policy', () => {
  it('matches method and case-insensitive path regex, and retires after count', () => {
    const store = new FaultStore([{ kind: 'http503', method: 'put', pathPattern: '/SUBNETS/', count: 2 }]);
    const policy = createFaultPolicy({ store });
    expect(policy.evaluate(siteGet())).toEqual({ kind: 'pass' });
    expect(policy.evaluate(armRequest('GET', subnetId(SUB_A, 'v', 's')))).toEqual({ kind: 'pass' });
    const first = policy.evaluate(subnetPut());
    expect(first).toMatchObject({ kind: 'respond', status: 503, body: { error: { code: 'ServiceUnavailable' } } });
    expect(first.kind === 'respond' && first.headers).toBeFalsy();
    expect(policy.evaluate(subnetPut()).kind).toBe('respond');
    expect(policy.evaluate(subnetPut())).toEqual({ kind: 'pass' });
    expect(store.list()).toEqual([]);
  });

  it('probability is deterministic per seed and close to the requested rate', () => {
    const run = (seed: number): boolean[] => {
      const policy = createFaultPolicy({ store: new FaultStore([{ kind: 'http500', probability: 0.3 }]), seed });
      return Array.from({ length: 1000 }, () => policy.evaluate(siteGet()).kind === 'respond');
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
    const rate = a.filter(Boolean).length / a.length;
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.35);
  });

  it('produces every kind with the right status, headers and envelope', () => {
    const verdict = (rule: Parameters<FaultStore['add']>[0], request = subnetPut()): PolicyVerdict =>
      createFaultPolicy({ store: new FaultStore([rule]) }).evaluate(request);
    expect(verdict({ kind: 'http500' })).toMatchObject({ status: 500, body: { error: { code: 'InternalServerError' } } });
    expect(verdict({ kind: 'http500-retry-after', retryAfterSeconds: 3 })).toMatchObject({ status: 500, headers: { 'Retry-After': '3' } });
    expect(verdict({ kind: 'http503-retry-after', retryAfterSeconds: 2 })).toMatchObject({ status: 503, headers: { 'Retry-After': '2' } });
    expect(verdict({ kind: 'http429', retryAfterSeconds: 4 })).toMatchObject({ status: 429, headers: { 'Retry-After': '4' }, body: { error: { code: 'TooManyRequests' } } });
    const bare429 = verdict({ kind: 'http429' });
    expect(bare429).toMatchObject({ status: 429, body: { error: { code: 'TooManyRequests' } } });
    expect(bare429.kind === 'respond' && bare429.headers).toBeFalsy();
    expect(verdict({ kind: 'reset' })).toEqual({ kind: 'reset' });
    expect(verdict({ kind: 'hang' })).toEqual({ kind: 'hang' });

    const another = verdict({ kind: 'another-operation', retryAfterSeconds: 5 });
    expect(another).toMatchObject({ status: 429, headers: { 'Retry-After': '5' }, body: { error: { code: 'RetryableErrorDueToAnotherOperation' } } });
    const message = another.kind === 'respond' ? (another.body as { error: { message: string } }).error.message : '';
    expect(message).toMatch(/^Operation PutSubnetOperation \([0-9a-f-]{36}\) was canceled\. Another operation on this or dependent resource is in progress/);

    expect(verdict({ kind: 'permanent', status: 409, message: 'Adding this VNET would exceed the App Service Plan VNET limit of 2.' }, armRequest('PUT', `${siteId(SUB_A, 'a')}/networkConfig/virtualNetwork`)))
      .toMatchObject({ status: 409, body: { Code: 'Conflict', Message: 'Adding this VNET would exceed the App Service Plan VNET limit of 2.', Target: null, Innererror: null } });
    expect(verdict({ kind: 'permanent', message: 'Subnet s in VNET v is missing a delegation.' }))
      .toMatchObject({ status: 400, body: { error: { code: 'BadRequest', message: 'Subnet s in VNET v is missing a delegation.' } } });
  });

  it('applied-then-504 and applied-then-reset let the handler run, then answer ARM\'s GatewayTimeout (naming the provider) or a reset', () => {
    const verdict = (rule: Parameters<FaultStore['add']>[0], request = subnetPut()): PolicyVerdict =>
      createFaultPolicy({ store: new FaultStore([rule]) }).evaluate(request);
    expect(verdict({ kind: 'applied-then-504' })).toEqual({
      kind: 'after-handler',
      outcome: { kind: 'respond', status: 504, body: { error: { code: 'GatewayTimeout', message: "The gateway did not receive a response from 'Microsoft.Network' within the specified time period." } } },
    });
    // ARM's envelope even for Microsoft.Web (the gateway answers, not App Service), the namespace in its usual casing.
    expect(verdict({ kind: 'applied-then-504' }, armRequest('DELETE', `${siteId(SUB_A, 'a').replace('Microsoft.Web', 'microsoft.web')}/virtualNetworkConnections/v`))).toMatchObject({
      outcome: { status: 504, body: { error: { code: 'GatewayTimeout', message: "The gateway did not receive a response from 'Microsoft.Web' within the specified time period." } } },
    });
    expect(verdict({ kind: 'applied-then-reset' })).toEqual({ kind: 'after-handler', outcome: { kind: 'reset' } });
  });

  it('applied-then-* rules honour method, pathPattern, count and seeded probability like every kind', () => {
    const store = new FaultStore([{ kind: 'applied-then-504', method: 'DELETE', pathPattern: '/virtualNetworkConnections/', count: 2 }]);
    const policy = createFaultPolicy({ store });
    const del = armRequest('DELETE', `${siteId(SUB_A, 'a')}/virtualNetworkConnections/v`);
    expect(policy.evaluate(armRequest('GET', `${siteId(SUB_A, 'a')}/virtualNetworkConnections/v`))).toEqual({ kind: 'pass' });
    expect(policy.evaluate(armRequest('DELETE', siteId(SUB_A, 'a')))).toEqual({ kind: 'pass' });
    expect(policy.evaluate(del).kind).toBe('after-handler');
    expect(policy.evaluate(del).kind).toBe('after-handler');
    expect(policy.evaluate(del)).toEqual({ kind: 'pass' });
    expect(store.list()).toEqual([]);

    const run = (seed: number): boolean[] => {
      const flaky = createFaultPolicy({ store: new FaultStore([{ kind: 'applied-then-reset', probability: 0.25 }]), seed });
      return Array.from({ length: 1000 }, () => flaky.evaluate(subnetPut()).kind === 'after-handler');
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
    const rate = a.filter(Boolean).length / a.length;
    expect(rate).toBeGreaterThan(0.2);
    expect(rate).toBeLessThan(0.3);
  });

  it('a permanent fault fails its operation every time and leaves other operations alone', () => {
    const policy = createFaultPolicy({ store: new FaultStore([{ kind: 'permanent', method: 'PUT', pathPattern: 'sites/app1/networkConfig', message: 'no' }]) });
    const put = armRequest('PUT', `${siteId(SUB_A, 'app1')}/networkConfig/virtualNetwork`);
    for (let i = 0; i < 5; i++) expect(policy.evaluate(put).kind).toBe('respond');
    expect(policy.evaluate(armRequest('PUT', `${siteId(SUB_A, 'app2')}/networkConfig/virtualNetwork`))).toEqual({ kind: 'pass' });
  });
});

describe('fault policy over another rule source', () => {
  it('reads any store with list/consume and stops when the store says the rule is spent', () => {
    let left = 2;
    const source = {
      list: () => (left > 0 ? [{ id: 'r1', kind: 'http500' as const, pathPattern: 'sites' }] : []),
      consume: (id: string) => id === 'r1' && left-- > 0,
    };
    const policy = createFaultPolicy({ store: source });
    expect(policy.evaluate(siteGet()).kind).toBe('respond');
    expect(policy.evaluate(siteGet()).kind).toBe('respond');
    expect(policy.evaluate(siteGet())).toEqual({ kind: 'pass' });
  });
});
