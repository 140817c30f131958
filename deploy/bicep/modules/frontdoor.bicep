@description('Container app name of the front door.')
param name string

param location string
param environmentId string
param identityId string
param identityClientId string

@description('Front door container image (deploy/docker/FrontDoor.Dockerfile).')
param image string
param registryServer string
param clusterId string
param serviceId string
param tableEndpoint string
param membershipTable string

@description('Replicas: the front door is stateless, so it scales out freely.')
@minValue(1)
param minReplicas int = 1

@maxValue(30)
param maxReplicas int = 3

@description('API key callers send in the x-vizier-api-key header.')
@secure()
param apiKey string

@description('Owners the API key may act for: comma-separated ids, or * for every owner.')
param apiKeyOwners string

@description('HTTP/2 port the front door serves gRPC on inside the container.')
param grpcPort int = 50051

@description('The network (CIDR) that external policy endpoints (a study\'s PYTHIA_ENDPOINT) must be in.')
param policyNetwork string

@description('HTTP port of /healthz.')
param healthPort int = 8081

// OSS Vizier's gRPC protocol for Python workers, outside the cluster: HTTP ingress with HTTP/2 to the container,
// TLS terminated by the environment's ingress, API keys required. It reaches the silos as an Orleans client that
// finds their gateways in the membership table.
resource frontDoor 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        transport: 'http2'
        targetPort: grpcPort
        allowInsecure: false
      }
      secrets: [
        {
          name: 'api-key'
          value: apiKey
        }
      ]
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'frontdoor'
          image: image
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            { name: 'Vizier__ClusterId', value: clusterId }
            { name: 'Vizier__ServiceId', value: serviceId }
            { name: 'Vizier__HealthPort', value: string(healthPort) }
            { name: 'Vizier__AzureTables__ServiceUri', value: tableEndpoint }
            { name: 'Vizier__AzureTables__ManagedIdentityClientId', value: identityClientId }
            { name: 'Vizier__AzureTables__TableName', value: membershipTable }
            { name: 'Vizier__Grpc__Port', value: string(grpcPort) }
            { name: 'Vizier__Grpc__ExternalPolicyAllowList__0', value: policyNetwork }
            { name: 'Vizier__Grpc__ApiKeys__0__Key', secretRef: 'api-key' }
            { name: 'Vizier__Grpc__ApiKeys__0__Owners', value: apiKeyOwners }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: healthPort
              }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/healthz'
                port: healthPort
              }
              periodSeconds: 10
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
      }
    }
  }
}

@description('host:443 of the front door; TLS, so clients use a secure channel.')
output endpoint string = '${frontDoor.properties.configuration.ingress.fqdn}:443'
