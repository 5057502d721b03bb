import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { demoScenario } from '../../src/scenario/demo.js';

describe('loadScenario', () => {
  it('resolves empty, demo and bundled fleets', async () => {
    expect(await loadScenario('empty')).toEqual({ name: 'empty', resources: [] });
    expect(await loadScenario('demo')).toEqual(demoScenario());
    expect((await loadScenario('fleet-1000')).resources.filter((r) => /\/sites\/[^/]+$/.test(r.id))).toHaveLength(1000);
    expect((await loadScenario('fleet-48-seed-9')).name).toBe('generated-48-seed-9');
  });

  it('loads and validates a JSON file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scenario-'));
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ name: 'mine', resources: [], throttling: false }));
    expect(await loadScenario(good)).toEqual({ name: 'mine', resources: [], throttling: false });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ name: 'mine', resources: 'none' }));
    await expect(loadScenario(bad)).rejects.toMatchObject({ code: 'ScenarioInvalid', message: expect.stringContaining('resources') as unknown });
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ nope');
    await expect(loadScenario(broken)).rejects.toMatchObject({ code: 'ScenarioInvalid' });
  });

  it('names the bundled scenarios when nothing matches', async () => {
    await expect(loadScenario('/nowhere/x.json')).rejects.toMatchObject({ code: 'ScenarioNotFound', message: expect.stringContaining('demo') as unknown });
  });
});
