import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHostError } from './errors.js';

/**
 * local.settings.json, as Azure Functions Core Tools reads it: `Values` become app settings (process.env entries),
 * never overriding a variable already set in the environment, so a shell or a supervisor can override a setting.
 * When the file is absent it is created from local.settings.sample.json (which is committed; the real file is
 * not, because people put secrets in it).
 */
export interface LocalSettings {
  readonly path: string;
  /** True when this call created the file from the sample. */
  readonly created: boolean;
  readonly values: Readonly<Record<string, string>>;
  /** The Host section (LocalHttpPort, CORS...), as written; the local host itself uses none of it yet. */
  readonly host: Readonly<Record<string, unknown>>;
}

export const SETTINGS_FILE = 'local.settings.json';
export const SAMPLE_SETTINGS_FILE = 'local.settings.sample.json';

export function readLocalSettings(dir: string): LocalSettings {
  const path = join(dir, SETTINGS_FILE);
  let created = false;
  if (!existsSync(path)) {
    const sample = join(dir, SAMPLE_SETTINGS_FILE);
    if (existsSync(sample)) copyFileSync(sample, path);
    else writeFileSync(path, `${JSON.stringify({ IsEncrypted: false, Values: {} }, null, 2)}\n`);
    created = true;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LocalHostError('InvalidSettings', `${path} is not valid JSON (${(error as Error).message}); fix it or delete it to recreate it from ${SAMPLE_SETTINGS_FILE}.`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new LocalHostError('InvalidSettings', `${path} must hold a JSON object with a "Values" object.`);
  const record = parsed as Record<string, unknown>;
  if (record['IsEncrypted'] === true) {
    throw new LocalHostError('InvalidSettings', `${path} is encrypted (IsEncrypted: true); the local host reads plain settings only. Decrypt it with 'func settings decrypt'.`);
  }
  const rawValues = record['Values'] ?? {};
  if (typeof rawValues !== 'object' || rawValues === null || Array.isArray(rawValues)) throw new LocalHostError('InvalidSettings', `${path}: "Values" must be an object of strings.`);
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawValues as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new LocalHostError('InvalidSettings', `${path}: Values.${key} must be a string, number or boolean.`);
    }
    values[key] = String(value);
  }
  const host = typeof record['Host'] === 'object' && record['Host'] !== null ? (record['Host'] as Record<string, unknown>) : {};
  return { path, created, values, host };
}

/** Copies Values into the environment without overriding what is already set; returns the keys it set. */
export function applySettingsToEnv(values: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): string[] {
  const applied: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    applied.push(key);
  }
  return applied;
}

/** Reads local.settings.json in `dir` (creating it when absent) and applies it to process.env. */
export function loadLocalSettings(dir: string, env: NodeJS.ProcessEnv = process.env): LocalSettings {
  const settings = readLocalSettings(dir);
  applySettingsToEnv(settings.values, env);
  return settings;
}
