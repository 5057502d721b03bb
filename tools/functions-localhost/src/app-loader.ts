import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionHandler } from './durable/contract.js';
import { LocalHostError } from './errors.js';
import { type BindingMetadata, type CapturedRegistration, type FunctionMetadata, installFunctionsCore } from './functions-core.js';
import { loadFunctionsLibrary, type FunctionsLibrary } from './functions-library.js';
import { globFiles } from './glob-files.js';
import { resolveSettingReferences } from './setting-references.js';

/**
 * Loads any Functions v4 Node app: resolves its package.json `main` (a file or a glob), answers
 * `@azure/functions-core` before the app's first import so every registration reaches this host, imports the
 * files, and refuses, with the function and binding named, anything this host cannot run faithfully.
 */

export type TriggerKind = 'http' | 'timer' | 'orchestration' | 'activity';

export interface HostedFunction {
  readonly name: string;
  readonly kind: TriggerKind;
  readonly metadata: FunctionMetadata;
  readonly handler: FunctionHandler;
  /** The trigger binding's name (the key in metadata.bindings) and its settings. */
  readonly triggerName: string;
  readonly trigger: BindingMetadata;
  /** Names of the function's durableClient input bindings. */
  readonly durableClientInputs: readonly string[];
}

export interface HostJsonSettings {
  /** extensions.http.routePrefix; "api" when absent. May be "" (functions at the root). */
  readonly routePrefix: string;
  /** extensions.durableTask.hubName, when set. */
  readonly hubName: string | undefined;
  /** extensions.durableTask.maxConcurrentActivityFunctions, when set. */
  readonly maxConcurrentActivityFunctions: number | undefined;
  /** extensions.durableTask.storageProvider.type, when set ("AzureStorage", "mssql", "netherite", "azureManaged"...). */
  readonly storageProviderType: string | undefined;
}

export interface LoadedApp {
  readonly appDir: string;
  readonly entryFiles: readonly string[];
  readonly functions: readonly HostedFunction[];
  readonly hostJson: HostJsonSettings;
  /** The app's own @azure/functions (for HttpRequest, HttpResponse, InvocationContext). */
  readonly library: FunctionsLibrary;
  /** Lifecycle hooks the app registered (app.hook.appStart(...)), by hook name, in registration order. */
  readonly hooks: ReadonlyMap<string, readonly ((context: unknown) => unknown)[]>;
  /** True when the app has orchestrations, activities or durableClient bindings: it needs the durable engine. */
  readonly usesDurable: boolean;
}

const TRIGGER_KINDS: Readonly<Record<string, TriggerKind>> = {
  httpTrigger: 'http',
  timerTrigger: 'timer',
  orchestrationTrigger: 'orchestration',
  activityTrigger: 'activity',
};

/** The app in the current folder, as `func start` takes it (`npm run localhost` and `npm start` run in the repository). */
export function defaultAppDir(): string {
  return process.cwd();
}

/** host.json as far as this host uses it, with `%SETTING%` references resolved from `settings` (the app settings). */
export function readHostJson(appDir: string, settings: Readonly<Record<string, string | undefined>> = process.env): HostJsonSettings {
  const path = join(appDir, 'host.json');
  if (!existsSync(path)) return { routePrefix: 'api', hubName: undefined, maxConcurrentActivityFunctions: undefined, storageProviderType: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LocalHostError('InvalidSettings', `${path} is not valid JSON (${(error as Error).message}); fix or remove it.`);
  }
  const extensions = objectAt(parsed, 'extensions');
  const http = objectAt(extensions, 'http');
  const durable = objectAt(extensions, 'durableTask');
  const text = (value: unknown, where: string): string | undefined => (typeof value === 'string' ? resolveSettingReferences(value, `${path} ${where}`, settings) : undefined);
  const prefix = text(http?.['routePrefix'], 'extensions.http.routePrefix');
  const hubName = text(durable?.['hubName'], 'extensions.durableTask.hubName');
  const providerType = text(objectAt(durable, 'storageProvider')?.['type'], 'extensions.durableTask.storageProvider.type');
  const maxActivities = durable?.['maxConcurrentActivityFunctions'];
  return {
    routePrefix: prefix !== undefined ? prefix.replace(/^\/+|\/+$/g, '') : 'api',
    hubName: hubName || undefined,
    maxConcurrentActivityFunctions: typeof maxActivities === 'number' ? maxActivities : undefined,
    storageProviderType: providerType || undefined,
  };
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as Record<string, unknown>)[key];
  return typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : undefined;
}

/** The files package.json `main` names, resolved against the app folder. */
export function resolveEntryFiles(appDir: string): string[] {
  const packagePath = join(appDir, 'package.json');
  if (!existsSync(packagePath)) {
    throw new LocalHostError('AppNotFound', `No package.json in ${appDir}: pass the folder of a Functions v4 Node app (its package.json "main" names the files that register functions).`);
  }
  let main: unknown;
  try {
    main = (JSON.parse(readFileSync(packagePath, 'utf8')) as { main?: unknown }).main;
  } catch (error) {
    throw new LocalHostError('AppNotFound', `${packagePath} is not valid JSON (${(error as Error).message}).`);
  }
  const pattern = typeof main === 'string' && main.trim() ? main.trim() : 'index.js';
  const files = isAbsolute(pattern) ? (existsSync(pattern) ? [pattern] : []) : globFiles(appDir, pattern);
  if (files.length === 0) {
    const hint = pattern.startsWith('dist/') ? ' Build the app first (npm run build).' : '';
    throw new LocalHostError('AppNotFound', `package.json "main" in ${appDir} is "${pattern}", which matches no file.${hint}`);
  }
  return files;
}

// One load at a time: the registration sink is per process.
let loadQueue: Promise<unknown> = Promise.resolve();
let loadCount = 0;

export async function loadFunctionApp(appDir: string = defaultAppDir()): Promise<LoadedApp> {
  const run = loadQueue.then(() => loadSerially(resolve(appDir)));
  loadQueue = run.catch(() => undefined);
  return run;
}

async function loadSerially(appDir: string): Promise<LoadedApp> {
  const hostJson = readHostJson(appDir);
  const entryFiles = resolveEntryFiles(appDir);
  // Must precede the app's first import of @azure/functions: a failed lookup is cached there for good.
  const sink = installFunctionsCore();
  sink.clear();
  loadCount++;
  const requireCache = createRequire(import.meta.url).cache;
  for (const file of entryFiles) {
    // CommonJS apps: import() reuses a cached module without running it, so forget it to register again.
    delete requireCache[file];
    // The query string gives each load its own module instance, so a second load in one process registers again.
    const url = `${pathToFileURL(file).href}?local-host-load=${loadCount}`;
    try {
      await import(url);
    } catch (error) {
      sink.clear();
      throw new LocalHostError('AppImportFailed', `Importing ${relative(appDir, file) || file} failed: ${(error as Error).message ?? String(error)}`, false, { cause: error });
    }
  }
  const registrations = [...sink.registrations];
  const hooks = new Map([...sink.hooks].map(([name, callbacks]) => [name, [...callbacks]] as const));
  sink.clear();
  const functions = validateRegistrations(appDir, registrations);
  const usesDurable = functions.some((f) => f.kind === 'orchestration' || f.kind === 'activity' || f.durableClientInputs.length > 0);
  return { appDir, entryFiles, functions, hostJson, usesDurable, hooks, library: loadFunctionsLibrary(appDir) };
}

/**
 * Turns raw registrations into hosted functions. Malformed registrations (a duplicate name, not exactly one trigger)
 * refuse at once; unsupported triggers and bindings are collected over the whole app and refused together, so one
 * start lists everything the app would need changed.
 */
export function validateRegistrations(appDir: string, registrations: readonly CapturedRegistration[]): HostedFunction[] {
  if (registrations.length === 0) {
    throw new LocalHostError(
      'NoFunctionsRegistered',
      `The app in ${appDir} registered no functions. Its package.json "main" files must call app.http(), app.timer(), df.app.orchestration() or df.app.activity() when imported.`,
    );
  }
  const seen = new Set<string>();
  const unsupported: string[] = [];
  const hosted: HostedFunction[] = [];
  for (const { metadata, handler } of registrations) {
    const name = metadata.name;
    if (seen.has(name.toLowerCase())) throw new LocalHostError('InvalidRegistration', `Function '${name}' is registered twice; function names must be unique (case-insensitively).`);
    seen.add(name.toLowerCase());
    const entries = Object.entries(metadata.bindings);
    const triggers = entries.filter(([, b]) => b.direction === 'in' && /trigger$/i.test(b.type));
    if (triggers.length !== 1) {
      throw new LocalHostError('InvalidRegistration', `Function '${name}' has ${triggers.length} trigger bindings; a function needs exactly one.`);
    }
    const [triggerName, trigger] = triggers[0]!;
    const kind = TRIGGER_KINDS[trigger.type];
    if (trigger.type === 'entityTrigger') {
      unsupported.push(`Function '${name}', binding '${triggerName}' (entityTrigger): durable entities are not supported by the local host.`);
    } else if (!kind) {
      unsupported.push(
        `Function '${name}', binding '${triggerName}': trigger type '${trigger.type}' is not supported by the local host (supported: ${Object.keys(TRIGGER_KINDS).join(', ')}).`,
      );
    }
    const durableClientInputs: string[] = [];
    for (const [bindingName, binding] of entries) {
      if (bindingName === triggerName) continue;
      if (binding.direction === 'in' && binding.type === 'durableClient') {
        durableClientInputs.push(bindingName);
        continue;
      }
      if (binding.direction === 'out' && binding.type === 'http' && kind === 'http') continue;
      // Orchestrators and activities carry their result in a generic $return binding the durable extension reads.
      if (bindingName === '$return' && (kind === 'orchestration' || kind === 'activity')) continue;
      unsupported.push(`Function '${name}', binding '${bindingName}' (${binding.type}, direction ${binding.direction}) is not supported by the local host.`);
    }
    if (kind) hosted.push({ name, kind, metadata, handler, triggerName, trigger, durableClientInputs });
  }
  if (unsupported.length > 0) throw unsupportedBindings(unsupported);
  return hosted;
}

function unsupportedBindings(problems: readonly string[]): LocalHostError {
  const hint = 'Supported: httpTrigger, timerTrigger, orchestrationTrigger and activityTrigger; besides the trigger, durableClient inputs, and http outputs on HTTP triggers.';
  const message =
    problems.length === 1
      ? `${problems[0]} ${hint}`
      : `The app uses ${problems.length} bindings the local host does not support:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${hint}`;
  return new LocalHostError('UnsupportedBinding', message);
}
