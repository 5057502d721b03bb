import type { InvocationContext } from '@azure/functions';
import type { FunctionHandler } from './durable/contract.js';

/**
 * The app's lifecycle and invocation hooks (app.hook.appStart / appTerminate / preInvocation / postInvocation),
 * run the way the Node worker runs them:
 * - hooks of one kind run in registration order, each awaited; one that throws stops the rest and fails what it
 *   wraps (the start, or the invocation);
 * - appStart and appTerminate share one `hookData`; every hook also sees `appHookData`, one object for the whole
 *   app that invocation hooks share too;
 * - per invocation, pre and post hooks share one fresh `hookData`. A pre hook may replace `inputs` and
 *   `functionHandler`; the handler is then called as `handler(...inputs, invocationContext)`. Post hooks see
 *   `result` (null when it threw) and `error` (null when it returned) and may replace either. After them, a
 *   non-null `error` fails the invocation, otherwise `result` is its result.
 * The contexts handed to hooks are the worker's core shape; the app's @azure/functions wraps them in its
 * PreInvocationContext / PostInvocationContext classes, whose setters write straight through to these objects.
 */
export type HookCallback = (context: unknown) => unknown;

interface PreInvocationCoreContext {
  readonly hookData: Record<string, unknown>;
  readonly appHookData: Record<string, unknown>;
  readonly invocationContext: InvocationContext;
  inputs: unknown[];
  functionCallback: (...args: unknown[]) => unknown;
}

interface PostInvocationCoreContext {
  readonly hookData: Record<string, unknown>;
  readonly appHookData: Record<string, unknown>;
  readonly invocationContext: InvocationContext;
  inputs: unknown[];
  result: unknown;
  error: unknown;
}

export class InvocationHooks {
  /** Shared by every hook of the app (appHookData). */
  readonly appHookData: Record<string, unknown> = {};
  /** Shared by appStart and appTerminate only (their hookData). */
  readonly #appLevelHookData: Record<string, unknown> = {};
  readonly #hooks: ReadonlyMap<string, readonly HookCallback[]>;
  readonly #appDir: string;

  constructor(hooks: ReadonlyMap<string, readonly HookCallback[]>, appDir: string) {
    this.#hooks = hooks;
    this.#appDir = appDir;
  }

  async appStart(): Promise<void> {
    await this.#run('appStart', this.#appContext());
  }

  async appTerminate(): Promise<void> {
    await this.#run('appTerminate', this.#appContext());
  }

  /**
   * The handler to give whoever invokes the function (HTTP dispatcher, timer scheduler, durable engine): it runs
   * the invocation hooks around the app's handler. The hook list is read at each call, as the worker does.
   */
  wrap(handler: FunctionHandler): FunctionHandler {
    return async (triggerInput: unknown, context: InvocationContext) => {
      const hookData: Record<string, unknown> = {};
      const pre: PreInvocationCoreContext = readOnly(
        { hookData, appHookData: this.appHookData, invocationContext: context, inputs: [triggerInput], functionCallback: handler as (...args: unknown[]) => unknown },
        INVOCATION_READ_ONLY,
      );
      await this.#run('preInvocation', pre);

      const post: PostInvocationCoreContext = readOnly(
        { hookData, appHookData: this.appHookData, invocationContext: context, inputs: pre.inputs, result: null, error: null },
        INVOCATION_READ_ONLY,
      );
      try {
        post.result = await pre.functionCallback(...pre.inputs, context);
      } catch (error) {
        post.error = error;
      }
      await this.#run('postInvocation', post);
      // As the worker: anything but null/undefined in `error` is a failure, whatever its type.
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows exactly what the handler or a hook set
      if (post.error !== null && post.error !== undefined) throw post.error;
      return post.result;
    };
  }

  async #run(name: string, context: object): Promise<void> {
    // A copy: a hook that disposes itself (or another) while running does not skip the next one.
    for (const hook of [...(this.#hooks.get(name) ?? [])]) await hook(context);
  }

  #appContext(): object {
    return readOnly({ hookData: this.#appLevelHookData, appHookData: this.appHookData, functionAppDirectory: this.#appDir }, [
      'hookData',
      'appHookData',
    ]);
  }
}

const INVOCATION_READ_ONLY = ['hookData', 'appHookData', 'invocationContext'] as const;

/** Makes the named properties getters whose setters throw, as the worker's ReadOnlyError does. */
function readOnly<T extends object>(value: T, keys: readonly (keyof T & string)[]): T {
  for (const key of keys) {
    const current = value[key];
    Object.defineProperty(value, key, {
      enumerable: true,
      get: () => current,
      set: () => {
        throw new TypeError(`Cannot assign to read only property '${key}'`);
      },
    });
  }
  return value;
}
