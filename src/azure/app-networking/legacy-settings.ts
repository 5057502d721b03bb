import type { LegacyRoutingSettingName } from '../../domain/routing.js';
import { AppTarget } from './app-target.js';
import { armRead, writeConfirmed } from './confirmed-write.js';
import type { ChangeRecord, OperationOptions } from './operation-options.js';
import { legacyNameOf, settingsView } from './settings-view.js';

/*
 * PUT config/appsettings replaces the whole set, so both operations read every setting WITH its value, change the
 * set in memory and write it all back. The values live only in these locals: the ChangeRecord holds names and the
 * legacy routing values (settingsView), and no error built here quotes a setting.
 */

async function readSettings(target: AppTarget, operation: string): Promise<Record<string, string>> {
  return { ...((await armRead(operation, () => target.listApplicationSettings())).properties ?? {}) };
}

/** Deletes the named settings (matched case-insensitively, as App Service does), keeping every other one as it is. */
export async function removeLegacySettings(appId: string, names: readonly string[], opts: OperationOptions): Promise<ChangeRecord> {
  const target = new AppTarget(appId, opts);
  const operation = `remove the legacy routing settings ${names.join(', ')} of ${target.name}`;
  const action = 'remove legacy routing settings';
  const remove = new Set(names.map((n) => n.toLowerCase()));
  const present = (settings: Readonly<Record<string, string>>): boolean => Object.keys(settings).some((n) => remove.has(n.toLowerCase()));
  const settings = await readSettings(target, operation);
  const before = settingsView(settings);
  if (!present(settings)) return { action, applied: false, before, after: before };
  const kept = Object.fromEntries(Object.entries(settings).filter(([name]) => !remove.has(name.toLowerCase())));
  await writeConfirmed(
    operation,
    () => target.replaceApplicationSettings(kept),
    async () => !present(await readSettings(target, operation)),
    opts,
  );
  return { action, applied: true, before, after: settingsView(kept) };
}

/**
 * Puts the given legacy routing settings back with their values (under the canonical name, replacing any other
 * spelling of it), leaving every other setting as it is. Nothing differs: nothing applied.
 */
export async function restoreLegacySettings(appId: string, values: Partial<Record<LegacyRoutingSettingName, string>>, opts: OperationOptions): Promise<ChangeRecord> {
  const target = new AppTarget(appId, opts);
  const wanted = Object.entries(values).filter((entry): entry is [LegacyRoutingSettingName, string] => typeof entry[1] === 'string');
  const operation = `restore the legacy routing settings ${wanted.map(([n]) => n).join(', ')} of ${target.name}`;
  const action = 'restore legacy routing settings';
  const restored = (settings: Readonly<Record<string, string>>): boolean => wanted.every(([name, value]) => settings[name] === value);
  const settings = await readSettings(target, operation);
  const before = settingsView(settings);
  if (restored(settings)) return { action, applied: false, before, after: before };
  const next = Object.fromEntries(Object.entries(settings).filter(([name]) => !wanted.some(([w]) => legacyNameOf(name) === w)));
  for (const [name, value] of wanted) next[name] = value;
  await writeConfirmed(
    operation,
    () => target.replaceApplicationSettings(next),
    async () => restored(await readSettings(target, operation)),
    opts,
  );
  return { action, applied: true, before, after: settingsView(next) };
}
