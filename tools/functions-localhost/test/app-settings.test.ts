import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHostJson } from '../src/app-loader.js';
import { startLocalHost, type RunningLocalHost } from '../src/host.js';
import { resolveSettingReferences } from '../src/setting-references.js';

/**
 * The app's configuration as the Functions host reads it: local.settings.json of the app folder, and `%SETTING%`
 * references in host.json resolved from those settings (settings-app fixture: hubName "%SETTINGS_APP_TASKHUB%",
 * storageProvider azureManaged).
 */
const appDir = fileURLToPath(new URL('fixtures/settings-app', import.meta.url));
const settingsFile = join(appDir, 'local.settings.json');
const SETTINGS = { SETTINGS_APP_TASKHUB: 'SettingsHub', SETTINGS_APP_GREETING: 'Hej' };

beforeAll(() => writeFileSync(settingsFile, JSON.stringify({ IsEncrypted: false, Values: SETTINGS })));
afterAll(() => {
  rmSync(settingsFile, { force: true });
  for (const name of Object.keys(SETTINGS)) delete process.env[name];
});

describe('host.json setting references', () => {
  it('resolves %SETTING% references from the settings, whole or inside a value', () => {
    expect(readHostJson(appDir, { SETTINGS_APP_TASKHUB: 'Hub7' })).toMatchObject({ hubName: 'Hub7', storageProviderType: 'azureManaged' });
    expect(resolveSettingReferences('%A%x%B%', 'hubName', { A: 'one', B: 'two' })).toBe('onextwo');
  });

  it('refuses a reference to a setting that is not set, naming it', () => {
    expect(() => readHostJson(appDir, {})).toThrow(/extensions\.durableTask\.hubName is '%SETTINGS_APP_TASKHUB%', but the app setting 'SETTINGS_APP_TASKHUB' is not set/);
  });
});

describe('an app configured from its own folder', () => {
  let host: RunningLocalHost | undefined;
  const log: string[] = [];
  afterAll(async () => host?.stop());

  it("reads the app folder's local.settings.json, names the task hub from host.json, and warns about the storage provider", async () => {
    host = await startLocalHost({ appDir, port: 0, storage: 'azurite:memory', logger: (level, source, message) => log.push(`${level} ${source} ${message}`) });
    expect(host.engine?.taskHubName).toBe('SettingsHub');
    const res = await fetch(`${host.apiUrl}/greet`, { method: 'POST', body: 'Ada' });
    expect(res.status).toBe(200);
    expect(await res.json()).toBe('Hej, Ada');
    expect(log).toContainEqual(expect.stringMatching(/^warn Host\.Durable .*storageProvider\.type 'azureManaged'.*Azure Storage semantics on Table Storage/));
  });
});
