@description('Container app name of this silo.')
param name string

param location string
param environmentId string
param identityId string
param identityClientId string
param image string
param registryServer string
param cpu string
param memory string
param clusterId string
param serviceId string
param tableEndpoint string
param grainStateTable string
param membershipTable string

@description('Silo-to-silo port, unique in the environment.')
param siloPort int

@description('Client gateway port, unique in the environment.')
param gatewayPort int

@description('HTTP port of /healthz and the dashboard.')
param healthPort int = 8080

@description('HTTP/2 port of the silo\'s own gRPC front door (OSS Vizier\'s protocol), unique in the environment.')
param grpcPort int

@description('The network (CIDR) that external policy endpoints (a study\'s PYTHIA_ENDPOINT) must be in.')
param policyNetwork string

// One silo per app, always exactly one replica: Orleans membership tracks silos, not a load balancer's replicas.
resource silo 'Microsoft.App/containerApps@2024-03-01' = {
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
        external: false
        transport: 'tcp'
        targetPort: gatewayPort
        exposedPort: gatewayPort
        additionalPortMappings: [
          {
            external: false
            targetPort: siloPort
            exposedPort: siloPort
          }
          // Python workers inside the environment can use a silo's gRPC port directly (plaintext HTTP/2).
          {
            external: false
            targetPort: grpcPort
            exposedPort: grpcPort
          }
        ]
      }
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      // Time for the silo to hand its grains over on shutdown (the host stops within 45 s).
      terminationGracePeriodSeconds: 60
      containers: [
        {
          name: 'silo'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: [
            { name: 'Vizier__ClusterId', value: clusterId }
            { name: 'Vizier__ServiceId', value: serviceId }
            { name: 'Vizier__Clustering', value: 'AzureTable' }
            { name: 'Vizier__Storage', value: 'AzureTable' }
            { name: 'Vizier__SiloPort', value: string(siloPort) }
            { name: 'Vizier__GatewayPort', value: string(gatewayPort) }
            { name: 'Vizier__HealthPort', value: string(healthPort) }
            // Empty: the silo advertises the replica's own VNet address.
            { name: 'Vizier__AdvertisedIPAddress', value: '' }
            // Empty: no connection string (no keys) in the cloud; the managed identity authenticates.
            { name: 'Vizier__AzureTables__ConnectionString', value: '' }
            { name: 'Vizier__AzureTables__ServiceUri', value: tableEndpoint }
            { name: 'Vizier__AzureTables__ManagedIdentityClientId', value: identityClientId }
            { name: 'Vizier__AzureTables__GrainStateTable', value: grainStateTable }
            { name: 'Vizier__AzureTables__MembershipTable', value: membershipTable }
            { name: 'Vizier__Grpc__Port', value: string(grpcPort) }
            { name: 'Vizier__Grpc__ExternalPolicyAllowList__0', value: policyNetwork }
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
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: healthPort
              }
              periodSeconds: 15
              failureThreshold: 4
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
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

@description('host:port of this silo\'s gRPC front door inside the environment.')
output grpcEndpoint string = '${silo.properties.configuration.ingress.fqdn}:${grpcPort}'

@description('host:port of this silo gateway inside the environment.')
output gatewayEndpoint string = '${silo.properties.configuration.ingress.fqdn}:${gatewayPort}'
