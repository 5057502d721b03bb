import type { DurableEngine, DurableEngineOptions } from './durable/contract.js';
import { createDurableEngine as createEngine } from './durable/engine.js';
import { createManagementApi as createApi } from './durable/management-api.js';
import type { DurableManagementApi } from './durable-seams.js';

/**
 * The two durable parts the host composes: the engine (durable/engine.ts) and the Durable HTTP management API
 * (durable/management-api.ts). Kept behind this file so host.ts depends on the contract's shapes only.
 */
export function createDurableEngine(options: DurableEngineOptions): Promise<DurableEngine> {
  return Promise.resolve(createEngine(options));
}

export function createManagementApi(engine: DurableEngine, options: { baseUrl: string }): Promise<DurableManagementApi> {
  return Promise.resolve(createApi(engine, options));
}
