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

  it.each<[string, Parameters<typeof scopeMayInclude>[0], string, boolean]>([
    ['a subscription named in another case', { subscriptionIds: [S1.toUpperCase()] }, site(S1, 'a', 'x'), true],
    ['a subscription among others', { subscriptionIds: [S2, S1] }, site(S1, 'a', 'x'), true],
    ['a resource group among others', { subscriptionIds: [S1], resourceGroups: ['b', 'A'] }, site(S1, 'a', 'x'), true],
    ['an app among others', { subscriptionIds: [S1], appIds: [site(S1, 'a', 'y'), site(S1, 'a', 'x')] }, site(S1, 'a', 'x'), true],
    ['an app named in another case', { subscriptionIds: [S1], appIds: [site(S1, 'A', 'X')] }, site(S1, 'a', 'x'), true],
    ['another app of the same resource group', { subscriptionIds: [S1], appIds: [site(S1, 'a', 'y')] }, site(S1, 'a', 'x'), false],
    ['a plan, which is not an app', { subscriptionIds: [S1] }, `/subscriptions/${S1}/resourceGroups/a/providers/Microsoft.Web/serverfarms/p`, false],
    ['a resource group with non-ASCII letters, named in another case', { subscriptionIds: [S1], resourceGroups: ['PRODUKTION-ZÜRICH'] }, site(S1, 'Produktion-Zürich', 'x'), true],
    ['a resource group differing only by an accent', { subscriptionIds: [S1], resourceGroups: ['Produktion-Zurich'] }, site(S1, 'Produktion-Zürich', 'x'), false],
    ['an app in a resource group named in Japanese', { subscriptionIds: [S1], appIds: [site(S1, '東京', 'x')] }, site(S1, '東京', 'x'), true],
  ])('scopeMayInclude: %s → %s', (_label, scope, appId, included) => {
    expect(scopeMayInclude(scope, appId)).toBe(included);
  });

  it.each<[string, Parameters<typeof scopesOverlap>[0], Parameters<typeof scopesOverlap>[1], boolean]>([
    ['one shared subscription of several', { subscriptionIds: [S1, S2] }, { subscriptionIds: [S2] }, true],
    ['one shared resource group of several, named in another case', { subscriptionIds: [S1], resourceGroups: ['a', 'b'] }, { subscriptionIds: [S1], resourceGroups: ['c', 'B'] }, true],
    ['one shared app of several', { subscriptionIds: [S1], appIds: [site(S1, 'a', 'x'), site(S1, 'a', 'y')] }, { subscriptionIds: [S1], appIds: [site(S1, 'a', 'y')] }, true],
    ['apps on one side only', { subscriptionIds: [S1], appIds: [site(S1, 'a', 'x')] }, { subscriptionIds: [S1] }, true],
    ['a resource group with non-ASCII letters, named in another case', { subscriptionIds: [S1], resourceGroups: ['zürich'] }, { subscriptionIds: [S1], resourceGroups: ['ZÜRICH'] }, true],
    ['resource groups differing only by an accent', { subscriptionIds: [S1], resourceGroups: ['zürich'] }, { subscriptionIds: [S1], resourceGroups: ['zurich'] }, false],
  ])('scopesOverlap: %s → %s', (_label, a, b, overlap) => {
    expect(scopesOverlap(a, b)).toBe(overlap);
    expect(scopesOverlap(b, a)).toBe(overlap);
  });
});

describe('scope inclusion ignores the case of subscription GUIDs', () => {
  const LETTERED = 'abcdef00-0000-0000-0000-00000000000a';
  it.each([
    [LETTERED.toUpperCase(), LETTERED],
    [LETTERED, LETTERED.toUpperCase()],
  ])('scope %s includes an app of %s', (inScope, ofApp) => {
    expect(scopeMayInclude({ subscriptionIds: [inScope] }, site(ofApp, 'a', 'x'))).toBe(true);
  });
});
