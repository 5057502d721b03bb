/**
 * The CLI's exit codes. Scripts rely on them, so they never change meaning; the README lists them. Codes 3-8 say why
 * a call to the API failed; 10-12 say how a migration ended (status, status --watch, start --watch).
 */
export const EXIT = {
  /** Done; for a migration: Running or Pending (status), or Completed with no app failed or rolled back. */
  ok: 0,
  /** Something unexpected: a bug, or an answer the CLI could not read. */
  unexpected: 1,
  /** The command line or the request it describes is wrong; nothing was sent. */
  usage: 2,
  /** The API could not be reached (nothing listening, DNS, TLS, timeout). */
  unreachable: 3,
  /** 401/403: the function key is missing or wrong. */
  unauthorized: 4,
  /** 404: no such migration (or app). */
  notFound: 5,
  /** 409: the migration's state does not allow this, or another migration holds apps in this scope. */
  conflict: 6,
  /** Another 4xx: the service refused the request as written (it says why). */
  refused: 7,
  /** 5xx: the service failed; retrying later may help. */
  serviceError: 8,
  /** The migration failed, or finished with apps failed or rolled back. */
  migrationFailed: 10,
  /** The migration was canceled. */
  migrationCanceled: 11,
  /** The migration is paused (by an operator, or by the failure threshold): it waits for resume or cancel. */
  migrationPaused: 12,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with a given exit code and a message for a person (stderr). */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
