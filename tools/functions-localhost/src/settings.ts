import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHostError } from './errors.js';

/**
 * local.settings.json, as Azure Functions Core Tools reads it: `Values` become app settings (process.env entries),
 * never overriding a variable already set in the environment, so a shell or a supervisor can override a setting.
 * Reading never writes: an absent file means no settings (as `func start` treats it). Only `npm start` creates the
 * file, from the committed local.settings.sample.json next to it (the real file is not committed, because people
 * put secrets in it).
 */
export interface LocalSettings {
  readonly path: string;
  /** False when there is no local.settings.json: then there are no values. */
  readonly exists: boolean;
  readonly values: Readonly<Record<string, string>>;
  /** The Host section (LocalHttpPort, CORS...), as written; the local host itself uses none of it yet. */
  readonly host: Readonly<Record<string, unknown>>;
}

export const SETTINGS_FILE = 'local.settings.json';
export const SAMPLE_SETTINGS_FILE = 'local.settings.sample.json';

/**
 * For `npm start` in this repository: copies local.settings.sample.json to local.settings.json in `dir` when the
 * sample is there and the file is not. Returns the path created, or undefined when nothing was written.
 */
export function createSettingsFromSample(dir: string): string | undefined {
  const path = join(dir, SETTINGS_FILE);
  const sample = join(dir, SAMPLE_SETTINGS_FILE);
  if (existsSync(path) || !existsSync(sample)) return undefined;
  copyFileSync(sample, path);
  return path;
}

export function readLocalSettings(dir: string): LocalSettings {
  const path = join(dir, SETTINGS_FILE);
  if (!existsSync(path)) return { path, exists: false, values: {}, host: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LocalHostError('InvalidSettings', `${path} is not valid JSON (${(error as Error).message}); fix it or delete it.`);
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
  return { path, exists: true, values, host };
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

/** Reads local.settings.json in `dir`, if there is one, and applies it to process.env. */
export function loadLocalSettings(dir: string, env: NodeJS.ProcessEnv = process.env): LocalSettings {
  const settings = readLocalSettings(dir);
  applySettingsToEnv(settings.values, env);
  return settings;
}
