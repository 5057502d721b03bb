/**
 * What scheduled migrations and webhooks add to the engine's contract: the fleet's schedule and its progress
 * through batches, the activities and the event that serve them. Kept apart from engine-contract.ts so the
 * unscheduled path reads as before.
 */
import type { MaintenanceWindow } from '../domain/maintenance-window.js';
import type { BatchCursor, CutBatch, ScheduleState } from '../domain/migration-batches.js';

export type { ScheduleState };

/** Names the activities are registered under (see engine-names.ts: they never change once released). */
export const SCHEDULE_ACTIVITIES = {
  cutBatch: 'cutBatch',
  recordSchedule: 'recordSchedule',
  notifyWebhooks: 'notifyWebhooks',
} as const;

/** The event the batch timer raises on a scheduled fleet that waits for its next batch. */
export const BATCH_EVENT = 'startBatch';

export interface FleetSchedule {
  readonly maintenanceWindows: readonly MaintenanceWindow[];
  readonly batchSize: number;
}

export interface CurrentBatch {
  readonly number: number;
  /** When the window it started in closes: no app of the batch starts at or after it. */
  readonly closesTime: string;
}

/** Carried across continueAsNew. */
export interface ScheduleProgress {
  readonly cursor: BatchCursor;
  /** Planned apps in no batch yet. */
  readonly queued: number;
  readonly batches: number;
  readonly batch?: CurrentBatch;
}

export interface CutBatchInput {
  readonly migrationId: string;
  readonly cursor: BatchCursor;
  readonly size: number;
}

/** The activity answers the domain's cut as it is. */
export type CutBatchResult = CutBatch;

export interface RecordScheduleInput {
  readonly migrationId: string;
  readonly schedule: ScheduleState;
}

export type WebhookEventType = 'batch-started' | 'batch-ended' | 'app-rolled-back' | 'app-failed' | 'breaker-tripped' | 'migration-finished';

/** What an orchestration hands the webhook activity; it adds the migration's facts and the time. */
export interface WebhookNotice {
  readonly migrationId: string;
  readonly type: WebhookEventType;
  readonly data: Readonly<Record<string, unknown>>;
  /** Distinguishes deliveries of one migration (receivers de-duplicate on migrationId + sequence). */
  readonly sequence: string;
}
