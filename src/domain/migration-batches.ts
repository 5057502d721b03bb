/**
 * Batches of a scheduled migration: the planned apps in plan order (plan group by plan group, each group's apps in
 * their move order), cut into runs of `batchSize` apps. A batch may end inside a plan group; the group's next batch
 * starts where it stopped, on the same subnet. Pure: the fleet orchestration's activity cuts batches with it.
 */

/** Apps `fromOrder` (inclusive) to `toOrder` (exclusive) of one plan group. */
export interface BatchSegment {
  readonly groupIndex: number;
  readonly fromOrder: number;
  readonly toOrder: number;
}

/** The first app not yet in a batch. */
export interface BatchCursor {
  readonly groupIndex: number;
  readonly order: number;
}

export interface CutBatch {
  readonly segments: readonly BatchSegment[];
  readonly cursor: BatchCursor;
  /** Planned apps after the cursor, in no batch yet. */
  readonly queued: number;
}

export const FIRST_APP: BatchCursor = { groupIndex: 0, order: 0 };

/** The next `size` apps from `cursor`, given each plan group's app count. An empty batch means none are left. */
export function cutBatch(groupSizes: readonly number[], cursor: BatchCursor, size: number): CutBatch {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, not ${size}`);
  const segments: BatchSegment[] = [];
  let { groupIndex, order } = cursor;
  let room = size;
  while (room > 0 && groupIndex < groupSizes.length) {
    const left = (groupSizes[groupIndex] ?? 0) - order;
    if (left <= 0) {
      groupIndex += 1;
      order = 0;
      continue;
    }
    const taken = Math.min(left, room);
    segments.push({ groupIndex, fromOrder: order, toOrder: order + taken });
    room -= taken;
    order += taken;
  }
  let queued = Math.max(0, (groupSizes[groupIndex] ?? 0) - order);
  for (let g = groupIndex + 1; g < groupSizes.length; g++) queued += groupSizes[g] ?? 0;
  return { segments, cursor: { groupIndex, order }, queued };
}

/** Apps in some segments. */
export function appsIn(segments: readonly BatchSegment[]): number {
  return segments.reduce((sum, s) => sum + (s.toOrder - s.fromOrder), 0);
}

/** What a scheduled migration shows on its record (GET /api/migrations/{id} `schedule`). */
export interface ScheduleState {
  readonly state: 'waiting' | 'in-batch' | 'done';
  readonly batchSize: number;
  readonly batchesStarted: number;
  readonly queuedApps: number;
  /** The batch running now. */
  readonly currentBatch: { readonly number: number; readonly apps: number; readonly startedTime: string; readonly closesTime: string } | null;
  /** The window open now or the next one, as the fleet last computed it. */
  readonly nextWindow: { readonly opensTime: string; readonly closesTime: string } | null;
}
