// The migrator's identity gets each role at one resource group (VNets in subscriptions it does not migrate).
targetScope = 'resourceGroup'

param principalId string
param roleDefinitionIds array

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for id in roleDefinitionIds: {
  name: guid(resourceGroup().id, principalId, id)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: id
  }
}]
