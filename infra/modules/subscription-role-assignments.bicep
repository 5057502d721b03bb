// The migrator's identity gets each role at one subscription.
targetScope = 'subscription'

param principalId string
param roleDefinitionIds array

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for id in roleDefinitionIds: {
  name: guid(subscription().id, principalId, id)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: id
  }
}]
