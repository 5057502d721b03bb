import { randomUUID } from 'node:crypto';
import type { RegistrationSink } from '../../src/functions-core.js';
import { installFunctionsCore } from '../../src/functions-core.js';
import { startAzurite, type RunningAzurite } from '../../src/azurite.js';
import { createDurableEngine, type LocalDurableEngine } from '../../src/durable/engine.js';
import type * as DurableFunctionsNamespace from 'durable-functions';
import type { DurableEngineOptions } from '../../src/durable/contract.js';

/** Test plumbing: one Azurite per test file, a fresh task hub per engine, registrations captured from df.app.*. */
type DurableFunctionsModule = typeof DurableFunctionsNamespace;

export const sink: RegistrationSink = installFunctionsCore();

/** durable-functions, imported only after functions-core is installed (it registers through it at import). */
export async function durableFunctions(): Promise<DurableFunctionsModule> {
  return import('durable-functions');
}

/** Hands every captured orchestration and activity to the engine. */
export function registerCaptured(engine: LocalDurableEngine, from: RegistrationSink = sink): void {
  for (const { metadata, handler } of from.registrations) {
    const trigger = Object.values(metadata.bindings).find((binding) => binding.direction === 'in' && /Trigger$/.test(binding.type));
    if (trigger?.type === 'orchestrationTrigger') engine.registerOrchestrator(metadata.name, handler);
    if (trigger?.type === 'activityTrigger') engine.registerActivity(metadata.name, handler);
  }
}

export class EngineFixture {
  azurite: RunningAzurite | undefined;
  readonly engines: LocalDurableEngine[] = [];

  async start(): Promise<void> {
    this.azurite = await startAzurite();
  }

  async engine(options: Partial<DurableEngineOptions> = {}): Promise<LocalDurableEngine> {
    const engine = createDurableEngine({
      connectionString: this.azurite!.connectionString,
      taskHubName: options.taskHubName ?? `hub${randomUUID().replace(/-/g, '').slice(0, 12)}`,
      ...options,
    });
    registerCaptured(engine);
    await engine.start();
    this.engines.push(engine);
    return engine;
  }

  async stop(): Promise<void> {
    await Promise.all(this.engines.map((engine) => engine.stop()));
    await this.azurite?.stop();
  }
}

/** Counts calls per activity name, for asserting how often an activity ran. */
export class CallCounter {
  readonly counts = new Map<string, number>();
  hit(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  of(name: string): number {
    return this.counts.get(name) ?? 0;
  }
}
