using 'main.bicep'

param namePrefix = 'vizier'
param siloCount = 2
param image = 'myregistry.azurecr.io/vizier-silo:latest'
param registryServer = 'myregistry.azurecr.io'
param cpu = '0.5'
param memory = '1Gi'
param clusterId = 'vizier'
param serviceId = 'vizier'
param frontDoorImage = 'myregistry.azurecr.io/vizier-frontdoor:latest'
// Pass the key at deployment time: -p frontDoorApiKey=<secret>
param frontDoorApiKeyOwners = '*'
