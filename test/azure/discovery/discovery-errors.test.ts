/** What a cancelled discovery tells its caller: a stable code, what it was doing, that running it again can pass. */
import { describe, expect, it } from 'vitest';
import { DiscoveryAbortedError } from '../../../src/azure/discovery/discovery-errors.js';

describe('DiscoveryAbortedError', () => {
  it('names the read it stopped, keeps the reason, and says a new run can pass', () => {
    const reason = new Error('the activity was cancelled');
    const error = new DiscoveryAbortedError('list the sites of subscription s1', reason);
    expect(error.code).toBe('DiscoveryAborted');
    expect(error.message).toBe('Fleet discovery was cancelled while it was doing: list the sites of subscription s1. Start it again to read the fleet.');
    expect(error.details).toEqual({ operation: 'list the sites of subscription s1' });
    expect(error.cause).toBe(reason);
    expect(error.retryable).toBe(true);
  });

  it('without a read in progress, says only that discovery was cancelled', () => {
    const error = new DiscoveryAbortedError(undefined);
    expect(error.message).toBe('Fleet discovery was cancelled. Start it again to read the fleet.');
    expect(error.details).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });
});
