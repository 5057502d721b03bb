/**
 * Errors of the local host. The host knows nothing of migrations, so it cannot use the product's error classes
 * (lint forbids importing src/domain); it follows the same model: a stable `code`, a message a person can act on,
 * and whether retrying unchanged can help.
 */
export class LocalHostError extends Error {
  constructor(
    readonly code: LocalHostErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LocalHostError';
  }
}

export type LocalHostErrorCode =
  /** The app folder, its package.json `main`, or its files cannot be found or imported. */
  | 'AppNotFound'
  | 'AppImportFailed'
  /** The app registered no functions at all. */
  | 'NoFunctionsRegistered'
  /** A trigger or binding type this host does not implement. */
  | 'UnsupportedBinding'
  /** A registration this host cannot serve as written (bad route template, bad schedule, missing setting). */
  | 'InvalidRegistration'
  /** Durable functions need a Table Storage connection string. */
  | 'StorageRequired'
  /** The storage connection is set but storage cannot be reached (e.g. the emulator is not running). */
  | 'StorageUnavailable'
  | 'InvalidSettings'
  /** A port a setting names is held by another process. */
  | 'PortInUse'
  | 'ComponentMissing';
