// VizierOrleans on Azure Container Apps: N silo apps in an internal VNet environment, grain state and cluster
// membership in Azure Table Storage reached with a user-assigned managed identity (no keys at runtime).
targetScope = 'resourceGroup'

@description('Prefix of every resource name.')
@minLength(3)
@maxLength(12)
param namePrefix string = 'vizier'

param location string = resourceGroup().location

@description('How many silos (one container app each).')
@minValue(1)
@maxValue(10)
param siloCount int = 2

@description('Silo container image, for example myregistry.azurecr.io/vizier-silo:1.0.')
param image string

@description('Registry server of the image, pulled with the managed identity (it needs AcrPull); empty for a public image.')
param registryServer string = ''

@description('vCPU per silo (0.25 steps).')
param cpu string = '0.5'

@description('Memory per silo, twice the vCPU in GiB on the Consumption profile.')
param memory string = '1Gi'

@description('gRPC front door image (deploy/docker/FrontDoor.Dockerfile); empty: no front door app (silos still serve gRPC inside the environment).')
param frontDoorImage string = ''

@description('API key for the front door (x-vizier-api-key header).')
@secure()
param frontDoorApiKey string = ''

@description('Owners the front door API key may act for: comma-separated ids, or *.')
param frontDoorApiKeyOwners string = '*'

@description('Orleans cluster id: silos and clients with the same one form one cluster.')
param clusterId string = 'vizier'

@description('Orleans service id: keys the stored state; keep it across deployments.')
param serviceId string = 'vizier'

var grainStateTable = 'VizierGrainState'
var membershipTable = 'VizierMembership'
var storageName = take('${replace(namePrefix, '-', '')}${uniqueString(resourceGroup().id)}', 24)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-identity'
  location: location
}

module environment 'modules/environment.bicep' = {
  name: 'environment'
  params: {
    namePrefix: namePrefix
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: toLower(storageName)
    location: location
    tables: [
      grainStateTable
      membershipTable
    ]
    principalId: identity.properties.principalId
  }
}

// Ports are unique per app in the environment (TCP ingress exposes them environment-wide).
module silos 'modules/silo.bicep' = [for i in range(0, siloCount): {
  name: 'silo-${i}'
  params: {
    name: '${namePrefix}-silo-${i}'
    location: location
    environmentId: environment.outputs.environmentId
    identityId: identity.id
    identityClientId: identity.properties.clientId
    image: image
    registryServer: registryServer
    cpu: cpu
    memory: memory
    clusterId: clusterId
    serviceId: serviceId
    tableEndpoint: storage.outputs.tableEndpoint
    grainStateTable: grainStateTable
    membershipTable: membershipTable
    siloPort: 11111 + i
    gatewayPort: 30000 + i
    grpcPort: 50051 + i
    policyNetwork: environment.outputs.addressPrefix
  }
}]

module frontDoor 'modules/frontdoor.bicep' = if (!empty(frontDoorImage)) {
  name: 'frontdoor'
  params: {
    name: '${namePrefix}-frontdoor'
    location: location
    environmentId: environment.outputs.environmentId
    identityId: identity.id
    identityClientId: identity.properties.clientId
    image: frontDoorImage
    registryServer: registryServer
    clusterId: clusterId
    serviceId: serviceId
    tableEndpoint: storage.outputs.tableEndpoint
    membershipTable: membershipTable
    apiKey: frontDoorApiKey
    apiKeyOwners: frontDoorApiKeyOwners
    policyNetwork: environment.outputs.addressPrefix
  }
}

@description('Table endpoint for workers that find gateways in the membership table.')
output tableEndpoint string = storage.outputs.tableEndpoint

@description('Membership table name (Vizier__AzureTables__TableName for workers).')
output membershipTable string = membershipTable

output clusterId string = clusterId
output serviceId string = serviceId

@description('Client id of the managed identity that may read and write the tables.')
output identityClientId string = identity.properties.clientId

@description('gRPC endpoints of the silos inside the environment (plaintext HTTP/2).')
output siloGrpcEndpoints array = [for i in range(0, siloCount): silos[i].outputs.grpcEndpoint]

@description('The gRPC front door (TLS) for OSS Vizier clients; empty without a front door image.')
output frontDoorEndpoint string = empty(frontDoorImage) ? '' : frontDoor!.outputs.endpoint

@description('Gateway endpoints inside the environment.')
output gatewayEndpoints array = [for i in range(0, siloCount): silos[i].outputs.gatewayEndpoint]
