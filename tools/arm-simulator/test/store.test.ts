import { describe, expect, it } from 'vitest';
import { ResourceStore } from '../src/store.js';
import type { StoredResource } from '../src/store.js';

const res = (id: string, type = 'Microsoft.Web/sites'): StoredResource => ({ id, name: id.split('/').pop() ?? '', type, properties: {} });

describe('ResourceStore', () => {
  it('is case-insensitive on ids and keeps the first casing', () => {
    const store = new ResourceStore();
    store.put(res('/subscriptions/S/resourceGroups/RG/providers/Microsoft.Web/sites/App'));
    expect(store.get('/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/app')?.id).toBe('/subscriptions/S/resourceGroups/RG/providers/Microsoft.Web/sites/App');
  });

  it('deleteTree removes children but not siblings sharing a prefix', () => {
    const store = new ResourceStore();
    store.put(res('/s/sites/a'));
    store.put(res('/s/sites/a/config/web', 'Microsoft.Web/sites/config'));
    store.put(res('/s/sites/ab'));
    store.deleteTree('/s/sites/a');
    expect(store.get('/s/sites/a/config/web')).toBeUndefined();
    expect(store.get('/s/sites/ab')).toBeDefined();
  });

  it('rolls back every put and delete of a transaction that throws', () => {
    const store = new ResourceStore();
    const original = res('/s/sites/a');
    store.put(original);
    store.put(res('/s/sites/b'));
    expect(() =>
      store.transaction(() => {
        store.put({ ...original, properties: { changed: true } });
        store.deleteTree('/s/sites/b');
        store.put(res('/s/sites/c'));
        throw new Error('rule violated');
      }),
    ).toThrow('rule violated');
    expect(store.get('/s/sites/a')).toBe(original);
    expect(store.get('/s/sites/b')).toBeDefined();
    expect(store.get('/s/sites/c')).toBeUndefined();
    expect(store.count()).toBe(2);
  });

  it('runs the undo steps of state kept beside the store, newest first, only when the transaction fails', () => {
    const store = new ResourceStore();
    const log: string[] = [];
    expect(() =>
      store.transaction(() => {
        store.onRollback(() => log.push('first'));
        store.onRollback(() => log.push('second'));
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(log).toEqual(['second', 'first']);
    // A committed transaction forgets its steps; outside a transaction there is nothing to undo.
    store.transaction(() => store.onRollback(() => log.push('committed')));
    store.onRollback(() => log.push('outside'));
    expect(() =>
      store.transaction(() => {
        throw new Error('again');
      }),
    ).toThrow('again');
    expect(log).toEqual(['second', 'first']);
  });

  it('lists direct children of a type only', () => {
    const store = new ResourceStore();
    store.put(res('/v/subnets/a', 'Microsoft.Network/virtualNetworks/subnets'));
    store.put(res('/v/subnets/a/deep/x', 'other'));
    store.put(res('/v/subnets/b', 'Microsoft.Network/virtualNetworks/subnets'));
    expect(store.children('/v', 'subnets').map((r) => r.name)).toEqual(['a', 'b']);
  });
});
