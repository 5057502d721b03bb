import Module from 'node:module';
import type { FunctionHandler } from './durable/contract.js';

/**
 * Answers `require('@azure/functions-core')` the way the real Node worker does, so that @azure/functions hands
 * every registration (metadata + the app's own handler) to this host instead of dropping it in "test mode".
 * It must be installed before the app's first registration: @azure/functions caches a failed lookup.
 */

/** A binding as @azure/functions describes it in registration metadata. */
export interface BindingMetadata {
  readonly type: string;
  readonly direction: 'in' | 'out' | 'inout';
  readonly [setting: string]: unknown;
}

export interface FunctionMetadata {
  readonly name: string;
  readonly bindings: Readonly<Record<string, BindingMetadata>>;
  readonly retryOptions?: unknown;
}

export interface CapturedRegistration {
  readonly metadata: FunctionMetadata;
  readonly handler: FunctionHandler;
}

export type CoreLogLevel = 'information' | 'debug' | 'warning' | 'error' | 'trace' | 'critical' | 'none';

interface CoreApiShape {
  registerFunction(metadata: FunctionMetadata, handler: FunctionHandler): CoreDisposable;
  registerHook(hookName: string, callback: (context: unknown) => unknown): CoreDisposable;
  setProgrammingModel(model: unknown): void;
  getProgrammingModel(): unknown;
  log(level: CoreLogLevel, category: string, message: string): void;
  Disposable: typeof CoreDisposable;
}

class CoreDisposable {
  static from(...items: { dispose(): unknown }[]): CoreDisposable {
    return new CoreDisposable(() => items.forEach((item) => item.dispose()));
  }
  #callback: (() => void) | undefined;
  constructor(callback: () => void) {
    this.#callback = callback;
  }
  dispose(): void {
    this.#callback?.();
    this.#callback = undefined;
  }
}

const MODULE_ID = '@azure/functions-core';
const SENTINEL_FILENAME = '\0local-host:@azure/functions-core';

/** Where registrations go, and the hooks and log sink the app's library may use. */
export class RegistrationSink {
  readonly registrations: CapturedRegistration[] = [];
  readonly hooks = new Map<string, ((context: unknown) => unknown)[]>();
  programmingModel: unknown;
  log: (level: CoreLogLevel, category: string, message: string) => void = () => {};

  /** Forgets everything captured so far (a host loading a second app in the same process). */
  clear(): void {
    this.registrations.length = 0;
    this.hooks.clear();
  }
}

let installedSink: RegistrationSink | undefined;

/**
 * Installs the module once per process and returns its sink. Later calls return the same sink: Node caches
 * modules per process, so one process hosts one app at a time.
 */
export function installFunctionsCore(): RegistrationSink {
  if (installedSink) return installedSink;
  const sink = new RegistrationSink();
  const api: CoreApiShape = {
    registerFunction(metadata, handler) {
      const entry = { metadata, handler };
      sink.registrations.push(entry);
      return new CoreDisposable(() => {
        const index = sink.registrations.indexOf(entry);
        if (index >= 0) sink.registrations.splice(index, 1);
      });
    },
    registerHook(hookName, callback) {
      const list = sink.hooks.get(hookName) ?? [];
      list.push(callback);
      sink.hooks.set(hookName, list);
      return new CoreDisposable(() => list.splice(list.indexOf(callback) >>> 0, 1));
    },
    setProgrammingModel(model) {
      sink.programmingModel = model;
    },
    getProgrammingModel() {
      return sink.programmingModel;
    },
    log(level, category, message) {
      sink.log(level, category, message);
    },
    Disposable: CoreDisposable,
  };

  // Node's CommonJS loader internals: not in @types/node, stable since Node 0.x, and what the real worker hooks too.
  const loader = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
  };
  const cached = new Module(SENTINEL_FILENAME);
  cached.filename = SENTINEL_FILENAME;
  cached.loaded = true;
  cached.exports = api;
  loader._cache[SENTINEL_FILENAME] = cached;
  const originalResolve = loader._resolveFilename;
  loader._resolveFilename = function resolveFunctionsCore(request: string, ...rest: unknown[]): string {
    if (request === MODULE_ID) return SENTINEL_FILENAME;
    return originalResolve.call(this, request, ...rest);
  };
  installedSink = sink;
  return sink;
}
