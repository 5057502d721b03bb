import type { ArmRequestInfo } from '../../src/contract.js';

const KIND: Record<ArmRequestInfo['method'], ArmRequestInfo['operationKind']> = {
  GET: 'read', HEAD: 'read', PUT: 'write', PATCH: 'write', POST: 'write', DELETE: 'delete',
};

/** Builds the request facts a policy sees, deriving provider, resource id and action from the path like the server. */
export function armRequest(method: ArmRequestInfo['method'], path: string, overrides: Partial<ArmRequestInfo> = {}): ArmRequestInfo {
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
  const provider = /\/providers\/([^/]+)/i.exec(path)?.[1];
  const typeSegments = provider === undefined ? [] : path.split(/\/providers\/[^/]+\//i)[1]?.split('/').filter((_, i) => i % 2 === 0) ?? [];
  const verb = method === 'GET' || method === 'HEAD' ? 'read' : method === 'DELETE' ? 'delete' : 'write';
  return {
    method,
    path,
    apiVersion: '2025-05-01',
    principalId: 'migrator-principal',
    subscriptionId,
    provider,
    resourceId: path,
    action: provider === undefined ? `Microsoft.Resources/${verb}` : `${provider}/${typeSegments.join('/')}/${verb}`,
    operationKind: KIND[method],
    ...overrides,
  };
}

export const SUB_A = '11111111-1111-4111-8111-111111111111';
export const SUB_B = '22222222-2222-4222-8222-222222222222';
export const siteId = (sub: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/rg-apps/providers/Microsoft.Web/sites/${name}`;
export const subnetId = (sub: string, vnet: string, subnet: string): string =>
  `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;
