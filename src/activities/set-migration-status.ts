import type { StatusChange } from '../orchestrations/engine-contract.js';
import type { EngineDependencies } from './engine-dependencies.js';

/** The fleet's status and control as the API and the plan groups read them. Re-running it changes nothing. */
export function setMigrationStatus(deps: EngineDependencies) {
  return async (input: StatusChange): Promise<void> => {
    await deps.state.migrations.update(input.migrationId, (current) => {
      if (current.status === input.status && (input.control === undefined || current.control === input.control) && input.breaker === undefined) return undefined;
      return {
        status: input.status,
        ...(input.control === undefined ? {} : { control: input.control }),
        ...(input.breaker === undefined ? {} : { breaker: { trippedTime: deps.now().toISOString(), failures: input.breaker.failures } }),
        ...(input.error === undefined ? {} : { error: input.error }),
      };
    });
  };
}

export function readControl(deps: EngineDependencies) {
  return async (input: { migrationId: string }): Promise<'run' | 'pause' | 'cancel'> => (await deps.state.migrations.get(input.migrationId))?.control ?? 'cancel';
}
