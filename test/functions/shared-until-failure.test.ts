import { describe, expect, it } from 'vitest';
import { sharedUntilFailure } from '../../src/functions/shared-until-failure.js';

describe('sharedUntilFailure', () => {
  it('builds once for every caller, concurrent ones included', async () => {
    let builds = 0;
    const get = sharedUntilFailure(() => Promise.resolve({ build: ++builds }));
    const [a, b] = await Promise.all([get(), get()]);
    expect(await get()).toBe(a);
    expect(b).toBe(a);
    expect(builds).toBe(1);
  });

  it('forgets a failed build, so the next call builds again (a setting fixed, storage back)', async () => {
    let builds = 0;
    const get = sharedUntilFailure(() => {
      builds += 1;
      return builds === 1 ? Promise.reject(new Error('storage down')) : Promise.resolve('ready');
    });
    await expect(get()).rejects.toThrow('storage down');
    expect(await get()).toBe('ready');
    expect(await get()).toBe('ready');
    expect(builds).toBe(2);
  });
});
