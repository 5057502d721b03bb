import { randomUUID } from 'node:crypto';
import functionsModule from '@azure/functions';
import type { FunctionHandler } from './contract.js';
import type { FailureDetails, HistoryEvent } from './history.js';

/**
 * Calls an orchestrator handler registered through durable-functions 3.5.0 the way the Functions host does and
 * reads what it decided. Facts this relies on are pinned by tools/functions-localhost/test/durable/sdk-contract.test.ts.
 */

// @azure/functions is CommonJS without named-export hints: Node's ESM loader only offers its default export.
const { InvocationContext } = functionsModule;
type InvocationContext = InstanceType<typeof InvocationContext>;

/** Where the SDK appends the orchestrator state to the message of the error it throws. */
export const OUT_OF_PROC_DATA_MARKER = '$OutOfProcData$:';
/** The replay schema this host speaks (V3: timer settings present). */
export const UPPER_SCHEMA_VERSION_NEW = 2;

export interface OrchestratorCall {
  readonly functionName: string;
  readonly instanceId: string;
  readonly parentInstanceId?: string;
  readonly input: unknown;
  /** Past events (IsPlayed true) followed by this episode's new ones (IsPlayed false). */
  readonly history: readonly HistoryEvent[];
  readonly log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export type OrchestratorOutcome =
  | {
      readonly kind: 'decided';
      readonly isDone: boolean;
      readonly actions: unknown;
      readonly output: unknown;
      readonly customStatus: unknown;
    }
  | { readonly kind: 'failed'; readonly failure: FailureDetails; readonly customStatus: unknown };

export function orchestrationTriggerPayload(call: OrchestratorCall): Record<string, unknown> {
  return {
    // The SDK converts Timestamp strings to Dates in place: hand it copies, never the cached history.
    history: call.history.map((event) => ({ ...event })),
    input: call.input,
    instanceId: call.instanceId,
    isReplaying: call.history.some((event) => event.IsPlayed),
    parentInstanceId: call.parentInstanceId,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: UPPER_SCHEMA_VERSION_NEW,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '6.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
}

export function newInvocationContext(functionName: string, triggerType: string, log?: OrchestratorCall['log']): InvocationContext {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    options: { trigger: { type: triggerType, name: 'context' }, extraInputs: [], extraOutputs: [] },
    logHandler: (level, ...args) => {
      const text = args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
      const mapped = level === 'error' || level === 'critical' ? 'error' : level === 'warning' ? 'warn' : level === 'information' ? 'info' : 'debug';
      log?.(mapped, `[${functionName}] ${text}`);
    },
  });
}

export async function invokeOrchestrator(handler: FunctionHandler, call: OrchestratorCall): Promise<OrchestratorOutcome> {
  // A fresh context every call: the SDK builds context.df only when it is missing.
  const context = newInvocationContext(call.functionName, 'orchestrationTrigger', call.log);
  try {
    const state = (await handler(orchestrationTriggerPayload(call), context)) as Record<string, unknown> | undefined;
    if (!state || typeof state !== 'object' || !('actions' in state)) {
      return {
        kind: 'failed',
        failure: { ErrorType: 'InvalidOrchestratorState', ErrorMessage: `Orchestrator '${call.functionName}' returned no OrchestratorState; is it registered with df.app.orchestration?`, IsNonRetriable: true },
        customStatus: undefined,
      };
    }
    return { kind: 'decided', isDone: state.isDone === true, actions: state.actions, output: state.output, customStatus: state.customStatus };
  } catch (error) {
    return failureOf(error);
  }
}

/** The SDK's error text before the marker is meaningless; the state after it has the real message. */
export function failureOf(error: unknown): Extract<OrchestratorOutcome, { kind: 'failed' }> {
  const text = error instanceof Error ? error.message : String(error);
  const markerAt = text.indexOf(OUT_OF_PROC_DATA_MARKER);
  if (markerAt >= 0) {
    try {
      const state = JSON.parse(text.slice(markerAt + OUT_OF_PROC_DATA_MARKER.length)) as {
        error?: unknown;
        customStatus?: unknown;
        failureDetails?: { ErrorType?: string };
      };
      return {
        kind: 'failed',
        failure: {
          ErrorType: state.failureDetails?.ErrorType ?? 'Error',
          ErrorMessage: typeof state.error === 'string' ? state.error : text.slice(0, markerAt).trim(),
          StackTrace: error instanceof Error ? error.stack : undefined,
          IsNonRetriable: false,
        },
        customStatus: state.customStatus,
      };
    } catch {
      // fall through: report the raw text
    }
  }
  return {
    kind: 'failed',
    failure: { ErrorType: error instanceof Error ? error.name : 'Error', ErrorMessage: text, StackTrace: error instanceof Error ? error.stack : undefined, IsNonRetriable: false },
    customStatus: undefined,
  };
}
