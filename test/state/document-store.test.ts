import { describe, expect, it } from 'vitest';
import { useStateTables } from './support.js';

const state = useStateTables();

/** An inventory-shaped document of about 3 MB: more than one entity (1 MiB) and close to a transaction's 4 MB. */
const inventory = (marker: string): { apps: { id: string; settings: string[] }[] } => ({
  apps: Array.from({ length: 20_000 }, (_, i) => ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/${marker}-${i}`,
    settings: ['WEBSITE_VNET_ROUTE_ALL', 'APPINSIGHTS_CONNECTION', `É-${i}-😀`],
  })),
});

describe('DocumentStore', () => {
  it('round-trips a multi-megabyte document, replaces it whole, and deletes it', async () => {
    const { documents } = await state.open();
    const first = inventory('first');
    expect(JSON.stringify(first).length).toBeGreaterThan(1024 * 1024);
    await documents.put('inventory', 'fleet/2025', first);
    expect(await documents.get('inventory', 'fleet/2025')).toEqual(first);

    const second = inventory('second');
    await documents.put('inventory', 'fleet/2025', second);
    expect(await documents.get('inventory', 'fleet/2025')).toEqual(second);
    expect(await documents.get('plan', 'fleet/2025')).toBeUndefined();

    await documents.delete('inventory', 'fleet/2025');
    expect(await documents.get('inventory', 'fleet/2025')).toBeUndefined();
    await documents.delete('inventory', 'fleet/2025');
  });

  it('ends with one whole document when two puts race', async () => {
    const { documents } = await state.open();
    const a = inventory('a');
    const b = inventory('b');
    await Promise.all([documents.put('inventory', 'race', a), documents.put('inventory', 'race', b)]);
    const stored = await documents.get<typeof a>('inventory', 'race');
    expect([a, b]).toContainEqual(stored);
  });

  it('stores small values and refuses a kind that cannot be a key', async () => {
    const { documents } = await state.open();
    await documents.put('plan', 'p1', { groups: [] });
    expect(await documents.get('plan', 'p1')).toEqual({ groups: [] });
    await expect(documents.put('bad/kind', 'x', 1)).rejects.toMatchObject({ code: 'StateInvalidInput' });
  });
});
