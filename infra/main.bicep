// The migrator in Azure: one resource group holding the Function App and what it needs (modules/app.bicep), the
// least-privilege custom role (roles/migrator-role.json) and its assignments at the scopes listed below.
// Deployed at subscription scope by `azd up` (azure.yaml); see the README, "Deploy to Azure".
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names the resource group and suffixes the resources.')
param environmentName string

@minLength(1)
@description('Region of the resource group and every resource in it.')
param location string

@description('Subscriptions whose apps the migrator may move. The role is assigned at each (discovery lists sites, plans and VNets subscription-wide). Empty: this subscription.')
param migrationSubscriptionIds array = []

@description('Extra resource groups, as { subscriptionId, resourceGroup }, holding VNets the apps use in subscriptions not listed above (discovery reads those VNets by id). The role is assigned at each.')
param networkResourceGroups array = []

@description('Also grant VNet and peering writes (a second custom role at the same scopes), for cross-region moves.')
param enableCrossRegion bool = false

@allowed(['azureStorage', 'durableTaskScheduler'])
@description('Durable Functions backend: azureStorage (queues and tables in the app storage account; what runs locally) or durableTaskScheduler.')
param durableBackend string = 'azureStorage'

@allowed(['Consumption', 'Dedicated'])
@description('Durable Task Scheduler SKU (durableBackend = durableTaskScheduler only).')
param schedulerSku string = 'Consumption'

@minLength(3)
@maxLength(45)
@description('Durable task hub name (app setting TASKHUB_NAME, read by host.json).')
param taskHubName string = 'VnetMigratorHub'

@minValue(40)
@maxValue(1000)
@description('Flex Consumption: most instances the app scales out to.')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
@description('Flex Consumption: memory per instance (MB).')
param instanceMemoryMB int = 2048

@description('Require Microsoft Entra ID sign-in (App Service Authentication) in front of the API, on top of function keys.')
param enableEntraAuth bool = false

@description('Entra app registration (client) id the API accepts tokens for; required when enableEntraAuth is true.')
param entraClientId string = ''

@description('Object ids of the operators (users, groups or service principals) allowed to call the API when enableEntraAuth is true; empty allows any principal of the tenant.')
param entraAllowedPrincipalIds array = []

@description('More app settings, e.g. { MIGRATOR_RETRY_MAX_ATTEMPTS: "8" }; they win over the defaults.')
param additionalAppSettings object = {}

var role = loadJsonContent('roles/migrator-role.json')
var suffix = uniqueString(subscription().id, environmentName)
var tags = { 'azd-env-name': environmentName }

var subscriptionIds = empty(migrationSubscriptionIds) ? [subscription().subscriptionId] : migrationSubscriptionIds
var subscriptionScopes = map(subscriptionIds, s => '/subscriptions/${s}')
var resourceGroupScopes = map(networkResourceGroups, g => '/subscriptions/${g.subscriptionId}/resourceGroups/${g.resourceGroup}')

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'modules/app.bicep' = {
  name: 'app'
  scope: group
  params: {
    location: location
    suffix: suffix
    tags: tags
    durableBackend: durableBackend
    schedulerSku: schedulerSku
    taskHubName: taskHubName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    enableEntraAuth: enableEntraAuth
    entraClientId: entraClientId
    entraAllowedPrincipalIds: entraAllowedPrincipalIds
    additionalAppSettings: additionalAppSettings
  }
}

resource migratorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'migrator-role')
  properties: {
    roleName: '${role.roleName} (${environmentName})'
    description: role.description
    type: 'CustomRole'
    permissions: [
      {
        actions: map(role.actions, a => a.action)
        notActions: []
      }
    ]
    assignableScopes: concat(subscriptionScopes, resourceGroupScopes)
  }
}

resource crossRegionRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (enableCrossRegion) {
  name: guid(subscription().id, environmentName, 'migrator-role-cross-region')
  properties: {
    roleName: '${role.crossRegion.roleName} (${environmentName})'
    description: role.crossRegion.description
    type: 'CustomRole'
    permissions: [
      {
        actions: map(role.crossRegion.actions, a => a.action)
        notActions: []
      }
    ]
    assignableScopes: concat(subscriptionScopes, resourceGroupScopes)
  }
}

var roleIds = concat([migratorRole.id], enableCrossRegion ? [crossRegionRole.id] : [])

module subscriptionAssignments 'modules/subscription-role-assignments.bicep' = [for s in subscriptionIds: {
  name: 'migrator-role-${uniqueString(s)}'
  scope: subscription(s)
  params: {
    principalId: app.outputs.identityPrincipalId
    roleDefinitionIds: roleIds
  }
}]

module resourceGroupAssignments 'modules/resource-group-role-assignments.bicep' = [for g in networkResourceGroups: {
  name: 'migrator-role-${uniqueString(g.subscriptionId, g.resourceGroup)}'
  scope: resourceGroup(g.subscriptionId, g.resourceGroup)
  params: {
    principalId: app.outputs.identityPrincipalId
    roleDefinitionIds: roleIds
  }
}]

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName
output SERVICE_API_URI string = app.outputs.apiUrl
output MIGRATOR_IDENTITY_CLIENT_ID string = app.outputs.identityClientId
output MIGRATOR_ROLE_ID string = migratorRole.id
