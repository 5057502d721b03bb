/**
 * Reads the cumulative action list of an OrchestratorState (schema V2+: one array, compound WhenAll/WhenAny)
 * into the flat list of "leaves" the SDK assigns task ids to, in the order it assigns them.
 */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

export interface RetryPolicy {
  readonly firstRetryIntervalInMilliseconds: number;
  readonly maxNumberOfAttempts: number;
  readonly backoffCoefficient?: number;
  readonly maxRetryIntervalInMilliseconds?: number;
}

export type Leaf =
  | { readonly kind: 'activity'; readonly name: string; readonly input: unknown; readonly retry?: RetryPolicy }
  | { readonly kind: 'subOrchestration'; readonly name: string; readonly instanceId?: string; readonly input: unknown; readonly retry?: RetryPolicy }
  | { readonly kind: 'timer'; readonly fireAt: Date }
  | { readonly kind: 'externalEvent'; readonly name: string };

export interface ReadActions {
  readonly leaves: readonly Leaf[];
  /** Present when the orchestrator called continueAsNew (input already decoded). */
  readonly continueAsNew?: { readonly input: unknown };
  /** The first action the local host cannot run (entities, durable HTTP), if any. */
  readonly unsupported?: { readonly actionType: number; readonly description: string };
}

const UNSUPPORTED: Readonly<Record<number, string>> = {
  [ActionType.CallEntity]: 'callEntity (durable entities)',
  [ActionType.CallHttp]: 'callHttp (durable HTTP)',
  [ActionType.SignalEntity]: 'signalEntity (durable entities)',
  [ActionType.LockEntities]: 'lock (entity critical sections)',
  [ActionType.ReleaseEntities]: 'entity lock release',
};

type RawAction = Record<string, unknown>;

const isRecord = (value: unknown): value is RawAction => typeof value === 'object' && value !== null;

/** The SDK JSON-encodes string inputs of activities and continueAsNew once more; the worker decodes once. */
export function decodeSdkInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}

function retryPolicyOf(action: RawAction): RetryPolicy {
  const options = isRecord(action.retryOptions) ? action.retryOptions : {};
  const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  return {
    firstRetryIntervalInMilliseconds: num(options.firstRetryIntervalInMilliseconds) ?? 1000,
    maxNumberOfAttempts: num(options.maxNumberOfAttempts) ?? 1,
    backoffCoefficient: num(options.backoffCoefficient),
    maxRetryIntervalInMilliseconds: num(options.maxRetryIntervalInMilliseconds),
  };
}

export function readActions(actions: unknown): ReadActions {
  const leaves: Leaf[] = [];
  // The SDK re-yielding an already scheduled task inside a new Task.all/any puts the same action object in the
  // list twice but gives it no second id (its id is no longer `false`): identity tells the two cases apart.
  const seen = new Set<RawAction>();
  let continueAsNew: ReadActions['continueAsNew'];
  let unsupported: ReadActions['unsupported'];

  const visit = (action: unknown): void => {
    if (!isRecord(action) || seen.has(action)) return;
    seen.add(action);
    const type = action.actionType;
    switch (type) {
      case ActionType.WhenAll:
      case ActionType.WhenAny:
        for (const child of Array.isArray(action.compoundActions) ? (action.compoundActions as unknown[]) : []) visit(child);
        return;
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry:
        leaves.push({
          kind: 'activity',
          name: String(action.functionName),
          input: decodeSdkInput(action.input),
          ...(type === ActionType.CallActivityWithRetry ? { retry: retryPolicyOf(action) } : {}),
        });
        return;
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry:
        leaves.push({
          kind: 'subOrchestration',
          name: String(action.functionName),
          ...(typeof action.instanceId === 'string' && action.instanceId ? { instanceId: action.instanceId } : {}),
          input: action.input,
          ...(type === ActionType.CallSubOrchestratorWithRetry ? { retry: retryPolicyOf(action) } : {}),
        });
        return;
      case ActionType.CreateTimer: {
        const fireAt = action.fireAt instanceof Date ? action.fireAt : new Date(String(action.fireAt));
        leaves.push({ kind: 'timer', fireAt });
        return;
      }
      case ActionType.WaitForExternalEvent:
        leaves.push({ kind: 'externalEvent', name: String(action.externalEventName) });
        return;
      case ActionType.ContinueAsNew:
        continueAsNew = { input: decodeSdkInput(action.input) };
        return;
      default:
        unsupported ??= {
          actionType: typeof type === 'number' ? type : -1,
          description: (typeof type === 'number' ? UNSUPPORTED[type] : undefined) ?? `action type ${String(type)}`,
        };
    }
  };

  for (const group of Array.isArray(actions) ? (actions as unknown[]) : []) {
    for (const action of Array.isArray(group) ? (group as unknown[]) : [group]) visit(action);
  }
  return { leaves, ...(continueAsNew ? { continueAsNew } : {}), ...(unsupported ? { unsupported } : {}) };
}
