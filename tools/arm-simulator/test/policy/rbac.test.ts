import { describe, expect, it } from 'vitest';
import { actionMatches, createRbacPolicy, RbacConfigError, scopeCovers } from '../../src/policy/rbac.js';
import { armRequest, siteId, SUB_A, SUB_B, subnetId } from './arm-request.js';

const rgApps = `/subscriptions/${SUB_A}/resourceGroups/rg-apps`;

describe('RBAC action matching', () => {
  it('matches wildcards across segments and ignores case', () => {
    expect(actionMatches('*/read', 'Microsoft.Web/sites/read')).toBe(true);
    expect(actionMatches('*/read', 'Microsoft.Web/sites/write')).toBe(false);
    expect(actionMatches('microsoft.web/SITES/*', 'Microsoft.Web/sites/config/list/action')).toBe(true);
    expect(actionMatches('Microsoft.Web/sites/*', 'Microsoft.Web/serverFarms/read')).toBe(false);
    expect(actionMatches('Microsoft.Authorization/*/Write', 'Microsoft.Authorization/roleAssignments/write')).toBe(true);
    expect(actionMatches('Microsoft.Web/sites/read', 'Microsoft.Web/sitesXread')).toBe(false);
  });

  it('a scope covers itself and everything below it, not siblings with a common prefix', () => {
    expect(scopeCovers('/', siteId(SUB_A, 'a'))).toBe(true);
    expect(scopeCovers(`/subscriptions/${SUB_A}`, siteId(SUB_A, 'a'))).toBe(true);
    expect(scopeCovers(rgApps.toUpperCase(), siteId(SUB_A, 'a'))).toBe(true);
    expect(scopeCovers(`${rgApps}2`, `${rgApps}2x/providers/x`)).toBe(false);
    expect(scopeCovers(siteId(SUB_A, 'a'), `${siteId(SUB_A, 'a')}/config/web`)).toBe(true);
    expect(scopeCovers(siteId(SUB_A, 'a'), siteId(SUB_A, 'ab'))).toBe(false);
  });
});

describe('RBAC policy', () => {
  const config = {
    enabled: true,
    roles: [{ name: 'Subnet Joiner', actions: ['Microsoft.Network/virtualNetworks/subnets/join/action', 'Microsoft.Network/*/read'] }],
    assignments: [
      { principalId: 'web-admin', roleName: 'Website Contributor', scope: rgApps },
      { principalId: 'web-admin', roleName: 'Subnet Joiner', scope: `/subscriptions/${SUB_A}/resourceGroups/rg-net` },
      { principalId: 'contrib', roleName: 'contributor', scope: `/subscriptions/${SUB_A}` },
      { principalId: 'reader', roleName: 'Reader', scope: '/' },
    ],
  };
  const policy = createRbacPolicy(config);

  it('passes actions a role grants at a covering scope', () => {
    expect(policy.evaluate(armRequest('PUT', siteId(SUB_A, 'app1'), { principalId: 'web-admin' }))).toEqual({ kind: 'pass' });
    expect(policy.isAllowed('web-admin', 'Microsoft.Network/virtualNetworks/subnets/join/action', subnetId(SUB_A, 'v', 's'))).toBe(true);
    expect(policy.isAllowed('reader', 'Microsoft.Web/sites/read', siteId(SUB_B, 'x'))).toBe(true);
    expect(policy.isAllowed('contrib', 'Microsoft.Network/virtualNetworks/subnets/write', subnetId(SUB_A, 'v', 's'))).toBe(true);
  });

  it('answers 403 AuthorizationFailed with ARM wording when no assignment grants the action', () => {
    const request = armRequest('PUT', subnetId(SUB_A, 'vnet1', 'snet1'), { principalId: 'web-admin' });
    const verdict = policy.evaluate(request);
    expect(verdict).toEqual({
      kind: 'respond',
      status: 403,
      body: {
        error: {
          code: 'AuthorizationFailed',
          message:
            `The client 'web-admin' with object id 'web-admin' does not have authorization to perform action ` +
            `'Microsoft.Network/virtualNetworks/subnets/write' over scope '${request.resourceId}' or the scope is invalid. ` +
            'If access was recently granted, please refresh your credentials.',
        },
      },
    });
  });

  it('denies outside the assigned scope, writes for Reader, and NotActions for Contributor', () => {
    expect(policy.isAllowed('web-admin', 'Microsoft.Web/sites/write', siteId(SUB_B, 'app1'))).toBe(false);
    expect(policy.isAllowed('reader', 'Microsoft.Web/sites/write', siteId(SUB_A, 'app1'))).toBe(false);
    expect(policy.isAllowed('contrib', 'Microsoft.Authorization/roleAssignments/write', `/subscriptions/${SUB_A}`)).toBe(false);
    expect(policy.isAllowed('contrib', 'Microsoft.Web/sites/write', siteId(SUB_B, 'a'))).toBe(false);
    expect(policy.isAllowed('nobody', 'Microsoft.Web/sites/read', siteId(SUB_A, 'a'))).toBe(false);
  });

  it('Website Contributor cannot write plans but Network Contributor manages subnets', () => {
    const p = createRbacPolicy({ enabled: true, roles: [], assignments: [
      { principalId: 'w', roleName: 'Website Contributor', scope: '/' },
      { principalId: 'n', roleName: 'Network Contributor', scope: '/' },
    ] });
    expect(p.isAllowed('w', 'Microsoft.Web/serverFarms/write', '/subscriptions/x/resourceGroups/r/providers/Microsoft.Web/serverFarms/p')).toBe(false);
    expect(p.isAllowed('w', 'Microsoft.Web/serverFarms/join/action', '/subscriptions/x')).toBe(true);
    expect(p.isAllowed('n', 'Microsoft.Network/virtualNetworks/subnets/delete', subnetId(SUB_A, 'v', 's'))).toBe(true);
    expect(p.isAllowed('n', 'Microsoft.Web/sites/write', siteId(SUB_A, 'a'))).toBe(false);
  });

  it('disabled mode passes everything', () => {
    const off = createRbacPolicy({ enabled: false, roles: [], assignments: [] });
    expect(off.evaluate(armRequest('DELETE', siteId(SUB_A, 'a'), { principalId: 'nobody' }))).toEqual({ kind: 'pass' });
  });

  it('rejects an assignment to an unknown role with an actionable error', () => {
    expect(() => createRbacPolicy({ enabled: true, roles: [], assignments: [{ principalId: 'p', roleName: 'Wizard', scope: '/' }] }))
      .toThrow(RbacConfigError);
  });
});
