import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSettingsFromSample, loadLocalSettings, readLocalSettings } from '../src/settings.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'settings-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('local settings', () => {
  it('creates local.settings.json from the sample only when asked (npm start), never over an existing file', () => {
    const dir = scratch();
    const sample = { IsEncrypted: false, Values: { A: '1', AzureWebJobsStorage: 'UseDevelopmentStorage=true' } };
    writeFileSync(join(dir, 'local.settings.sample.json'), JSON.stringify(sample));
    expect(readLocalSettings(dir).exists).toBe(false);
    expect(existsSync(join(dir, 'local.settings.json'))).toBe(false);
    expect(createSettingsFromSample(dir)).toBe(join(dir, 'local.settings.json'));
    expect(JSON.parse(readFileSync(join(dir, 'local.settings.json'), 'utf8'))).toEqual(sample);
    expect(readLocalSettings(dir).values).toEqual(sample.Values);
    expect(createSettingsFromSample(dir)).toBeUndefined();
  });

  it('applies Values to the environment without overriding what is set', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'local.settings.json'), JSON.stringify({ Values: { KEEP: 'from-file', NEW: 'from-file', NUM: 5, FLAG: true } }));
    const env: NodeJS.ProcessEnv = { KEEP: 'from-shell' };
    loadLocalSettings(dir, env);
    expect(env).toEqual({ KEEP: 'from-shell', NEW: 'from-file', NUM: '5', FLAG: 'true' });
  });

  it('refuses invalid JSON, encrypted files and object values', () => {
    const dir = scratch();
    const file = join(dir, 'local.settings.json');
    writeFileSync(file, '{ nope');
    expect(() => readLocalSettings(dir)).toThrow(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ IsEncrypted: true, Values: {} }));
    expect(() => readLocalSettings(dir)).toThrow(/encrypted/);
    writeFileSync(file, JSON.stringify({ Values: { X: { nested: 1 } } }));
    expect(() => readLocalSettings(dir)).toThrow(/Values.X must be a string/);
  });

  it('reads no settings and writes nothing when the folder has no local.settings.json', () => {
    const dir = scratch();
    expect(loadLocalSettings(dir, {})).toMatchObject({ exists: false, values: {} });
    expect(createSettingsFromSample(dir)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps the repository sample's keys that the tooling relies on", () => {
    const sample = JSON.parse(readFileSync(new URL('../../../local.settings.sample.json', import.meta.url), 'utf8')) as { Values: Record<string, string> };
    expect(Object.keys(sample.Values)).toEqual(
      expect.arrayContaining(['FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage', 'ARM_ENDPOINT', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_AUTHORITY_HOST', 'SIMULATOR_SCENARIO']),
    );
  });
});
