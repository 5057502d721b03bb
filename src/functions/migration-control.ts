/**
 * pause, resume and cancel: each raises the fleet orchestration's external event (instance id = migration id).
 * The orchestration records the new status itself, through an activity, so these handlers only check that the
 * migration's status allows the action (409 otherwise) and never write the record.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { MigrationStatus } from '../domain/migration-model.js';
import { MigrationNotFoundError, MigrationStateConflictError } from '../http/api-errors.js';
import { errorResponse } from '../http/error-response.js';
import { statusUriOf } from '../http/links.js';
import { migrationIdOf } from '../http/route-values.js';
import { FLEET_EVENTS, type FleetEvent } from '../orchestrations/engine-names.js';
import { canTransition, isTerminal } from '../state/migration-status.js';
import { stateTables } from './engine-host.js';

/**
 * The statuses each action is accepted from, and the status it leads to. canTransition alone is not enough: it
 * allows same-to-same (a replayed step is harmless) and Pending → Running, neither of which is a pause or a resume.
 */
const ACTIONS: Readonly<Record<FleetEvent, { readonly from: readonly MigrationStatus[]; readonly to: MigrationStatus }>> = {
  pause: { from: ['Running'], to: 'Paused' },
  resume: { from: ['Paused'], to: 'Running' },
  cancel: { from: ['Pending', 'Running', 'Paused'], to: 'Canceled' },
};

function allows(action: FleetEvent, status: MigrationStatus): boolean {
  const rule = ACTIONS[action];
  return rule.from.includes(status) && canTransition(status, rule.to);
}

async function control(action: FleetEvent, request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const id = migrationIdOf(request);
    const migrations = (await stateTables()).migrations;
    const record = await migrations.get(id);
    if (record === undefined) throw new MigrationNotFoundError(id);
    if (!allows(action, record.status)) throw new MigrationStateConflictError(id, action, record.status, ACTIONS[action].from);
    try {
      await df.getClient(context).raiseEvent(id, FLEET_EVENTS[action], {});
    } catch (error) {
      // The orchestration may have finished between the read and the event: that is a conflict, not a failure.
      const now = await migrations.get(id);
      if (now !== undefined && isTerminal(now.status)) throw new MigrationStateConflictError(id, action, now.status, ACTIONS[action].from);
      throw error;
    }
    const statusUri = statusUriOf(request, id);
    return { status: 202, headers: { location: statusUri, 'retry-after': '2' }, jsonBody: { id, action, statusUri } };
  } catch (error) {
    return errorResponse(error, context, `${action} migration`);
  }
}

export const pauseMigration = (request: HttpRequest, context: InvocationContext) => control('pause', request, context);
export const resumeMigration = (request: HttpRequest, context: InvocationContext) => control('resume', request, context);
export const cancelMigration = (request: HttpRequest, context: InvocationContext) => control('cancel', request, context);

for (const [action, handler] of [['pause', pauseMigration], ['resume', resumeMigration], ['cancel', cancelMigration]] as const) {
  app.http(`${action}Migration`, { route: `migrations/{id}/${action}`, methods: ['POST'], authLevel: 'function', extraInputs: [df.input.durableClient()], handler });
}
