import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResourceStore } from '../src/store.js';
import type { StoreIndex, StoredResource } from '../src/store.js';

const SITE = 'Microsoft.Web/sites';
const SLOT = 'Microsoft.Web/sites/slots';

const BY_PLAN: StoreIndex = {
  name: 'by plan',
  types: [SITE, SLOT],
  keysOf: (r) => (typeof r.properties['plan'] === 'string' ? [r.properties['plan'].toLowerCase()] : []),
};

const app = (name: string, plan: string | undefined, slot = false): StoredResource => ({
  id: slot ? `/s/sites/host/slots/${name}` : `/s/sites/${name}`,
  name,
  type: slot ? SLOT : SITE,
  properties: plan === undefined ? {} : { plan },
});

/** What the index must always answer: a full scan in the order ofType() lists resources. */
const scan = (store: ResourceStore, plan: string): string[] =>
  [...store.ofType(SITE), ...store.ofType(SLOT)].filter((r) => r.properties['plan'] === plan).map((r) => r.id);
const viaIndex = (store: ResourceStore, plan: string): string[] => store.lookup(BY_PLAN, plan).map((r) => r.id);

describe('ResourceStore secondary indexes', () => {
  it('builds on first lookup from what is already stored, sites before slots, case-insensitive keys', () => {
    const store = new ResourceStore();
    store.put(app('b', 'P1', true));
    store.put(app('a', 'P1'));
    store.put(app('c', 'p2'));
    store.put({ id: '/s/other/x', name: 'x', type: 'Other', properties: { plan: 'p1' } });
    expect(store.lookup(BY_PLAN, 'p1').map((r) => r.name)).toEqual(['a', 'b']);
    expect(store.lookup(BY_PLAN, 'nothing')).toEqual([]);
  });

  it('follows moves between keys, deletes, rolled-back transactions and clear', () => {
    const store = new ResourceStore();
    store.put(app('a', 'p1'));
    expect(viaIndex(store, 'p1')).toEqual(['/s/sites/a']);
    store.put(app('a', 'p2'));
    expect(viaIndex(store, 'p1')).toEqual([]);
    expect(viaIndex(store, 'p2')).toEqual(['/s/sites/a']);
    expect(() => store.transaction(() => {
      store.put(app('a', 'p3'));
      store.put(app('b', 'p2'));
      throw new Error('rule violated');
    })).toThrow('rule violated');
    expect(viaIndex(store, 'p2')).toEqual(['/s/sites/a']);
    expect(viaIndex(store, 'p3')).toEqual([]);
    store.deleteTree('/s/sites/a');
    expect(viaIndex(store, 'p2')).toEqual([]);
    store.put(app('c', 'p2'));
    store.clear();
    expect(viaIndex(store, 'p2')).toEqual([]);
    store.put(app('d', 'p2'));
    expect(viaIndex(store, 'p2')).toEqual(['/s/sites/d']);
  });

  it('always answers exactly what a full scan answers, in the same order (model-based)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), name: fc.constantFrom('a', 'b', 'c', 'd'), slot: fc.boolean(), plan: fc.option(fc.constantFrom('p1', 'p2', 'p3'), { nil: undefined }) }),
      fc.record({ kind: fc.constant('delete' as const), name: fc.constantFrom('a', 'b', 'c', 'd', 'host'), slot: fc.boolean() }),
      fc.record({ kind: fc.constant('failedTransaction' as const), name: fc.constantFrom('a', 'b'), plan: fc.constantFrom('p1', 'p2') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.nat({ max: 40 }), (ops, lookupAfter) => {
        const store = new ResourceStore();
        ops.forEach((o, i) => {
          if (i === lookupAfter) viaIndex(store, 'p1'); // register the index part-way through
          if (o.kind === 'put') store.put(app(o.name, o.plan, o.slot));
          else if (o.kind === 'delete') store.deleteTree(o.slot ? `/s/sites/host/slots/${o.name}` : `/s/sites/${o.name}`);
          else {
            try {
              store.transaction(() => {
                store.put(app(o.name, o.plan));
                store.deleteTree(`/s/sites/${o.name === 'a' ? 'b' : 'a'}`);
                throw new Error('rollback');
              });
            } catch {
              // expected: the transaction always rolls back
            }
          }
        });
        for (const plan of ['p1', 'p2', 'p3']) expect(viaIndex(store, plan)).toEqual(scan(store, plan));
      }),
      { numRuns: 300 },
    );
  });

  it('ofType by subscription or resource group answers what a prefix scan answers, after moves and deletes', () => {
    const store = new ResourceStore();
    const id = (sub: string, rg: string, name: string): string => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`;
    const put = (sub: string, rg: string, name: string, v = 0): void => store.put({ id: id(sub, rg, name), name, type: SITE, properties: { v } });
    put('S1', 'RG1', 'a');
    put('s1', 'rg2', 'b');
    put('s2', 'rg1', 'c');
    put('S1', 'rg1', 'd');
    put('s1', 'RG1', 'a', 1); // an update moves it to the end, as in the type index
    store.put({ id: `${id('s1', 'rg1', 'a')}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: {} });
    expect(store.ofType(SITE, '/subscriptions/s1').map((r) => r.name)).toEqual(['b', 'd', 'a']);
    expect(store.ofType(SITE, '/Subscriptions/S1/resourceGroups/rg1').map((r) => r.name)).toEqual(['d', 'a']);
    expect(store.ofType(SITE, '/subscriptions/s1/resourceGroups/rg').map((r) => r.name)).toEqual([]);
    store.deleteTree(id('s1', 'rg1', 'd'));
    expect(store.ofType(SITE, '/subscriptions/s1/resourcegroups/rg1').map((r) => r.name)).toEqual(['a']);
    expect(store.ofType(SITE).map((r) => r.name)).toEqual(['b', 'c', 'a']);
  });
});
