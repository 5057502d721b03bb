/**
 * Azure built-in role definitions the simulator knows, with their real Actions / NotActions as published in the
 * Microsoft Learn built-in roles reference (General, Web and Mobile, Networking). Tests and the migrator's future
 * least-privilege role are checked against these, so they are copied exactly rather than approximated.
 */
import type { RoleDefinition } from '../contract.js';

export const OWNER: RoleDefinition = { name: 'Owner', actions: ['*'] };

export const CONTRIBUTOR: RoleDefinition = {
  name: 'Contributor',
  actions: ['*'],
  notActions: [
    'Microsoft.Authorization/*/Delete',
    'Microsoft.Authorization/*/Write',
    'Microsoft.Authorization/elevateAccess/Action',
    'Microsoft.Blueprint/blueprintAssignments/write',
    'Microsoft.Blueprint/blueprintAssignments/delete',
    'Microsoft.Compute/galleries/share/action',
    'Microsoft.Purview/consents/write',
    'Microsoft.Purview/consents/delete',
  ],
};

export const READER: RoleDefinition = { name: 'Reader', actions: ['*/read'] };

export const WEBSITE_CONTRIBUTOR: RoleDefinition = {
  name: 'Website Contributor',
  actions: [
    'Microsoft.Authorization/*/read',
    'Microsoft.Insights/alertRules/*',
    'Microsoft.Insights/components/*',
    'Microsoft.ResourceHealth/availabilityStatuses/read',
    'Microsoft.Resources/deployments/*',
    'Microsoft.Resources/subscriptions/resourceGroups/read',
    'Microsoft.Support/*',
    'Microsoft.Web/certificates/*',
    'Microsoft.Web/listSitesAssignedToHostName/read',
    'Microsoft.Web/serverFarms/join/action',
    'Microsoft.Web/serverFarms/read',
    'Microsoft.Web/sites/*',
  ],
};

export const NETWORK_CONTRIBUTOR: RoleDefinition = {
  name: 'Network Contributor',
  actions: [
    'Microsoft.Authorization/*/read',
    'Microsoft.Insights/alertRules/*',
    'Microsoft.Network/*',
    'Microsoft.ResourceHealth/availabilityStatuses/read',
    'Microsoft.Resources/deployments/*',
    'Microsoft.Resources/subscriptions/resourceGroups/read',
    'Microsoft.Support/*',
  ],
};

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [OWNER, CONTRIBUTOR, READER, WEBSITE_CONTRIBUTOR, NETWORK_CONTRIBUTOR];
