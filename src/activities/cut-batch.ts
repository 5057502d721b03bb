import { cutBatch } from '../domain/migration-batches.js';
import type { CutBatchInput, CutBatchResult } from '../orchestrations/schedule-contract.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { readGroupHeaders } from './load-plan-group.js';

/** The next batch of a scheduled migration, from its plan groups' sizes (written once by planFleet). Reads only. */
export function cutNextBatch(deps: EngineDependencies) {
  return async (input: CutBatchInput): Promise<CutBatchResult> => {
    const headers = await readGroupHeaders(deps, input.migrationId);
    return cutBatch(
      headers.map((h) => h.appCount),
      input.cursor,
      input.size,
    );
  };
}
