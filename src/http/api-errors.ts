/**
 * The HTTP surface's own refusals. Each is a MigratorError with a stable code; error-response.ts gives each its
 * status. Messages quote callers' values only clipped, so no answer grows with the request.
 */
import { MigratorError } from '../domain/errors.js';
import { clip } from './problem.js';

export class MigrationNotFoundError extends MigratorError {
  readonly code = 'MigrationNotFound';
  constructor(id: string) {
    super(`No migration has the id '${clip(id, 100)}'. List migrations with GET /api/migrations.`, false, { details: { id: clip(id, 100) } });
  }
}

export class AppsHeldByAnotherMigrationError extends MigratorError {
  readonly code = 'AppsHeldByAnotherMigration';
  constructor(holder: string, apps: readonly string[]) {
    const shown = apps.slice(0, 5).join(', ');
    super(
      apps.length === 0
        ? `Migration ${holder} is still discovering a scope that overlaps this one; wait for it to finish or narrow the scope.`
        : `Migration ${holder} is moving apps in this scope (${shown}${apps.length > 5 ? `, and ${apps.length - 5} more` : ''}); wait for it to finish or leave them out.`,
      false,
      { details: { migrationId: holder, apps: apps.slice(0, 20), appCount: apps.length } },
    );
  }
}

/** A query parameter, header or route value the endpoint cannot take. */
export class InvalidQueryError extends MigratorError {
  readonly code = 'InvalidQuery';
  constructor(message: string) {
    super(message, false);
  }
}

/** pause, resume or cancel asked of a migration whose status does not allow it. */
export class MigrationStateConflictError extends MigratorError {
  readonly code = 'MigrationStateConflict';
  constructor(id: string, action: string, status: string, allowedFrom: readonly string[]) {
    super(
      `Migration ${id} is ${status}: ${action} needs it to be ${allowedFrom.join(' or ')}. Read its status with GET /api/migrations/${encodeURIComponent(id)}.`,
      false,
      { details: { migrationId: id, action, status, allowedFrom } },
    );
  }
}
