import { describe, expect, it } from 'vitest';
import { addressedResourceId, parseArmPath, rbacAction } from '../src/resource-path.js';

describe('ARM path parsing and RBAC actions', () => {
  it('splits subscription, resource group, provider and segments', () => {
    expect(parseArmPath('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/a/slots/b')).toEqual({
      subscriptionId: 's1', resourceGroup: 'rg', provider: 'Microsoft.Web', segments: ['sites', 'a', 'slots', 'b'],
    });
  });

  it('refuses malformed ids with InvalidResourceId', () => {
    expect(() => parseArmPath('/subscriptions/s1/resourceGroups')).toThrow(expect.objectContaining({ code: 'InvalidResourceId', status: 400 }) as Error);
    expect(() => parseArmPath('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/a%20b')).toThrow(expect.objectContaining({ code: 'InvalidResourceId' }) as Error);
    expect(() => parseArmPath('/nope')).toThrow(expect.objectContaining({ status: 404 }) as Error);
  });

  it('derives actions like ARM operation names', () => {
    const at = (method: string, path: string): string => rbacAction(method, parseArmPath(path));
    const site = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a';
    expect(at('GET', site)).toBe('Microsoft.Web/sites/read');
    expect(at('PATCH', `${site}/config/web`)).toBe('Microsoft.Web/sites/config/write');
    expect(at('POST', `${site}/config/appsettings/list`)).toBe('Microsoft.Web/sites/config/list/action');
    expect(at('DELETE', `${site}/slots/x/virtualNetworkConnections/v`)).toBe('Microsoft.Web/sites/slots/virtualNetworkConnections/delete');
    expect(at('GET', '/subscriptions/s/resourceGroups/rg')).toBe('Microsoft.Resources/subscriptions/resourceGroups/read');
    expect(at('POST', '/subscriptions/s/providers/Microsoft.Web/locations/westeurope/purgeUnusedVirtualNetworkIntegration'))
      .toBe('Microsoft.Web/locations/purgeUnusedVirtualNetworkIntegration/action');
  });

  it('addresses the resource, not the trailing collection or action', () => {
    const path = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a/restart';
    expect(addressedResourceId(path, parseArmPath(path))).toBe('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a');
  });
});
