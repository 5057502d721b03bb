import type { DurableEngine, DurableEngineOptions } from './durable/contract.js';
import type { VirtualTimeline } from './durable/engine.js';
import type { DurableManagementApi } from './durable-seams.js';

/**
 * The two durable parts the host composes: the engine (durable/engine.ts) and the Durable HTTP management API
 * (durable/management-api.ts). Imported on first use, not statically: an app without durable functions neither
 * pays for loading them nor fails to start if one of them cannot load.
 */
export async function createDurableEngine(options: DurableEngineOptions): Promise<DurableEngine & VirtualTimeline> {
  const { createDurableEngine: create } = await import('./durable/engine.js');
  return create(options);
}

export async function createManagementApi(engine: DurableEngine, options: { baseUrl: string }): Promise<DurableManagementApi> {
  const { createManagementApi: create } = await import('./durable/management-api.js');
  return create(engine, options);
}
