import type { OperationOptions } from '../azure/app-networking/index.js';
import type { EngineDependencies } from './engine-dependencies.js';

/** The option bag every ARM operation of src/azure/app-networking takes, from the engine's dependencies. */
export function armOptions(deps: EngineDependencies): OperationOptions {
  return { clientsFor: deps.clientsFor, ...(deps.pollIntervalInMs === undefined ? {} : { pollIntervalInMs: deps.pollIntervalInMs }) };
}
