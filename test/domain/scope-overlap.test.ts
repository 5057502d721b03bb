import { describe, expect, it } from 'vitest';
import { scopeMayInclude, scopesOverlap } from '../../src/domain/scope-overlap.js';

const S1 = '00000000-0000-0000-0000-000000000001';
const S2 = '00000000-0000-0000-0000-000000000002';
const site = (sub: string, rg: string, name: string): string => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`;

describe('scope overlap', () => {
  it('separates scopes by subscription, resource group or app', () => {
    expect(scopesOverlap({ subscriptionIds: [S1] }, { subscriptionIds: [S2] })).toBe(false);
    expect(scopesOverlap({ subscriptionIds: [S1], resourceGroups: ['a'] }, { subscriptionIds: [S1], resourceGroups: ['B'] })).toBe(false);
    expect(scopesOverlap({ subscriptionIds: [S1], appIds: [site(S1, 'a', 'x')] }, { subscriptionIds: [S1], appIds: [site(S1, 'a', 'y')] })).toBe(false);
  });

  it('overlaps when either side is wider, case aside, and a slot overlaps its site', () => {
    expect(scopesOverlap({ subscriptionIds: [S1] }, { subscriptionIds: [S1.toUpperCase()], resourceGroups: ['a'] })).toBe(true);
    expect(scopesOverlap({ subscriptionIds: [S1], appIds: [`${site(S1, 'a', 'x')}/slots/staging`] }, { subscriptionIds: [S1], appIds: [site(S1, 'A', 'X')] })).toBe(true);
    // Tags are not compared: only an app read over ARM shows its tags.
    expect(scopesOverlap({ subscriptionIds: [S1], tags: { team: 'a' } }, { subscriptionIds: [S1], tags: { team: 'b' } })).toBe(true);
  });

  it('tells whether a held app may be in a scope', () => {
    expect(scopeMayInclude({ subscriptionIds: [S1], resourceGroups: ['a'] }, site(S1, 'A', 'x'))).toBe(true);
    expect(scopeMayInclude({ subscriptionIds: [S1], resourceGroups: ['a'] }, site(S1, 'b', 'x'))).toBe(false);
    expect(scopeMayInclude({ subscriptionIds: [S2] }, site(S1, 'a', 'x'))).toBe(false);
    expect(scopeMayInclude({ subscriptionIds: [S1], appIds: [site(S1, 'a', 'x')] }, `${site(S1, 'a', 'x')}/slots/blue`)).toBe(true);
  });
});
