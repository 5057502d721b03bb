import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type { FunctionInput, FunctionOutput, FunctionTrigger, InvocationContext, RetryContext } from '@azure/functions';
import type { HostedFunction } from './app-loader.js';
import type { FunctionsLibrary } from './functions-library.js';
import { fromFunctionsLevel, type HostLogger } from './logger.js';

/**
 * A fresh InvocationContext per invocation, as the real worker builds one: a new invocation id, the function's
 * name, its binding options (durable-functions' getClient() looks the durableClient input up in
 * `options.extraInputs`), and logs routed to the host logger under the function's name.
 */
export function createInvocationContext(
  library: FunctionsLibrary,
  fn: HostedFunction,
  logger: HostLogger,
  extraInputValues: Readonly<Record<string, unknown>> = {},
  /** Set on retried executions only (retryCount 1 and up), as the host sends it. */
  retryContext?: RetryContext,
): InvocationContext {
  const trigger = { ...fn.trigger, name: fn.triggerName } as unknown as FunctionTrigger;
  const extraInputs: FunctionInput[] = [];
  const extraOutputs: FunctionOutput[] = [];
  let returnOutput: FunctionOutput | undefined;
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (name === fn.triggerName) continue;
    const options = { ...binding, name } as unknown as FunctionInput & FunctionOutput;
    if (name === '$return') returnOutput = options;
    else if (binding.direction === 'in') extraInputs.push(options);
    else extraOutputs.push(options);
  }
  const context = new library.InvocationContext({
    invocationId: randomUUID(),
    functionName: fn.name,
    logHandler: (level, ...args) => logger(fromFunctionsLevel(level), `Function.${fn.name}`, args.map(formatLogArgument).join(' ')),
    options: { trigger, extraInputs, extraOutputs, ...(returnOutput ? { return: returnOutput } : {}) },
    ...(retryContext ? { retryContext } : {}),
  });
  for (const [name, value] of Object.entries(extraInputValues)) context.extraInputs.set(name, value);
  return context;
}

function formatLogArgument(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, { depth: 4, breakLength: Infinity });
}
