import { describe, expect, it } from 'vitest';
import { MigratorError, toErrorRecord, type MigratorErrorOptions } from '../../src/domain/errors.js';

class ExampleThrottledError extends MigratorError {
  readonly code = 'ExampleThrottled';
  constructor(options?: MigratorErrorOptions) {
    super('ARM throttled the request; wait and retry.', true, options);
  }
}

describe('MigratorError', () => {
  it('carries a stable code, an actionable message and the class default for retryable', () => {
    const error = new ExampleThrottledError({ details: { retryAfterInMs: 1000 } });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ExampleThrottledError');
    expect(error.toJSON()).toEqual({
      code: 'ExampleThrottled',
      message: 'ARM throttled the request; wait and retry.',
      retryable: true,
      details: { retryAfterInMs: 1000 },
    });
  });

  it('lets a caller override retryable and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const error = new ExampleThrottledError({ retryable: false, cause });
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
  });

  it('turns anything thrown into a record without losing its message', () => {
    expect(toErrorRecord(new TypeError('boom'))).toEqual({ code: 'UnexpectedError', message: 'boom', retryable: false });
    expect(toErrorRecord('plain')).toEqual({ code: 'UnexpectedError', message: 'plain', retryable: false });
    expect(toErrorRecord(new ExampleThrottledError()).code).toBe('ExampleThrottled');
  });
});
