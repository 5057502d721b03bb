import type { RecordScheduleInput } from '../orchestrations/schedule-contract.js';
import type { EngineDependencies } from './engine-dependencies.js';

/** A scheduled migration's batches, queue and window on its record, for the API. Writing the same state twice changes nothing. */
export function recordSchedule(deps: EngineDependencies) {
  return async (input: RecordScheduleInput): Promise<void> => {
    await deps.state.migrations.update(input.migrationId, (current) => (JSON.stringify(current.schedule) === JSON.stringify(input.schedule) ? undefined : { schedule: input.schedule }));
  };
}
