import type { DurableEngine, DurableEngineOptions } from './durable/contract.js';
import type { DurableManagementApi } from './durable-seams.js';
import { LocalHostError } from './errors.js';

/**
 * Loads the durable engine (durable/engine.ts) and the management API (durable/management-api.ts), written by
 * other engineers in parallel. Imported by a computed specifier so this host compiles and serves HTTP/timer-only
 * apps whether or not those modules exist yet; the shapes are the contract's.
 */
type EngineModule = { createDurableEngine(options: DurableEngineOptions): DurableEngine };
type ManagementApiModule = { createManagementApi(engine: DurableEngine, options: { baseUrl: string }): DurableManagementApi };

async function importSibling<T>(file: string, exportName: string): Promise<T> {
  const specifier = new URL(file, import.meta.url).href;
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new LocalHostError('ComponentMissing', `The local host cannot load ${file} (${(error as Error).message}); durable functions need it.`, false, { cause: error });
  }
  if (typeof module[exportName] !== 'function') throw new LocalHostError('ComponentMissing', `${file} does not export ${exportName}().`);
  return module as T;
}

export async function createDurableEngine(options: DurableEngineOptions): Promise<DurableEngine> {
  const module = await importSibling<EngineModule>('./durable/engine.js', 'createDurableEngine');
  return module.createDurableEngine(options);
}

export async function createManagementApi(engine: DurableEngine, options: { baseUrl: string }): Promise<DurableManagementApi> {
  const module = await importSibling<ManagementApiModule>('./durable/management-api.js', 'createManagementApi');
  return module.createManagementApi(engine, options);
}
