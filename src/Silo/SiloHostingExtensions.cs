using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Configuration;
using Orleans.Dashboard;
using VizierOrleans.ClientGateway.AzureStorage;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Dashboard.Hosting;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Hosting;
using VizierOrleans.Persistence.AzureTables.Hosting;

namespace VizierOrleans.Silo;

/// <summary>Builds the Vizier silo from <see cref="SiloSettings"/>.</summary>
internal static class SiloHostingExtensions
{
    /// <summary>
    /// The silo's host builder: content root at the program's own directory (so appsettings.json is found whatever the
    /// working directory), settings bound from <c>Vizier</c> and validated when the host starts.
    /// </summary>
    public static WebApplicationBuilder CreateVizierSiloBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // Binding throws here, naming the setting, for a value of the wrong type (an unknown Clustering, a port "x").
        var settings = SettingsValidation.ThrowIfInvalid(builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings());
        builder.Services.AddOptions<SiloSettings>().BindConfiguration(SiloSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<GrpcFrontDoorOptions>().BindConfiguration(GrpcFrontDoorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddVizierSilo(settings);
        return builder;
    }

    /// <summary>Configures Orleans, storage, clustering, the health endpoint and logging.</summary>
    public static WebApplicationBuilder AddVizierSilo(this WebApplicationBuilder builder, SiloSettings settings)
    {
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.AddHostedService<ShutdownDeadline>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (settings.HealthPort > 0)
            {
                kestrel.ListenAnyIP(settings.HealthPort);
            }
        });
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("orleans-silo");
        builder.AddVizierGrpcFrontDoor(settings.Grpc);
        builder.AddVizierOpenTelemetry("vizier-silo");
        builder.UseOrleans(silo => silo.ConfigureVizierSilo(settings));
        builder.AddVizierDashboard(settings.Grpc.ApiKeys);
        return builder;
    }

    /// <summary>Configures the Orleans silo: cluster identity, endpoints, clustering, grain storage and the Vizier grains.</summary>
    public static ISiloBuilder ConfigureVizierSilo(this ISiloBuilder silo, SiloSettings settings)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });

        var tables = settings.AzureTables;
        switch (settings.Clustering)
        {
            case ClusteringProvider.Localhost:
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
                break;
            case ClusteringProvider.AzureTable:
                // Orleans' own Azure Table membership; options are read when the silo starts, after validation.
                silo.UseAzureStorageClustering(o => AzureTableServiceClients.Configure(
                    o, tables.ConnectionString, string.IsNullOrWhiteSpace(tables.ServiceUri) ? null : new Uri(tables.ServiceUri), tables.ManagedIdentityClientId, tables.MembershipTable));
                silo.ConfigureEndpoints(AdvertisedAddress(settings), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
                break;
        }

        switch (settings.Storage)
        {
            case StorageProvider.Memory:
                silo.AddVizierMemoryGrainStorage();
                break;
            case StorageProvider.AzureTable:
                silo.AddVizierAzureTableGrainStorage(StorageNames.Vizier, o => tables.ApplyTo(o, tables.GrainStateTable));
                break;
            case StorageProvider.OrleansAzureTable:
                // Orleans' default storage serializer (Newtonsoft JSON with references preserved) cannot read back the
                // immutable collections of our states; its binary serializer handles every [GenerateSerializer] type.
                silo.AddAzureTableGrainStorage(StorageNames.Vizier, o => o.Configure<Orleans.Serialization.Serializer>((options, serializer) =>
                {
                    options.TableName = tables.GrainStateTable;
                    options.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer);
                    options.TableServiceClient = AzureTableServiceClients.Create(
                        tables.ConnectionString, string.IsNullOrWhiteSpace(tables.ServiceUri) ? null : new Uri(tables.ServiceUri), tables.ManagedIdentityClientId);
                }));
                break;
        }

        // Failure-detection timings can be tuned from configuration (Orleans:Membership:ProbeTimeout and so on).
        silo.Services.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection("Orleans:Membership"));

        // And the call timeout (Orleans:Messaging:ResponseTimeout); suggestions never depend on it (slow policies are polled).
        silo.Services.Configure<SiloMessagingOptions>(silo.Configuration.GetSection("Orleans:Messaging"));

        silo.AddVizierGrains();
        silo.AddVizierTelemetry();
        silo.Services.Configure<StudyOptions>(silo.Configuration.GetSection(StudyOptions.Section));
        silo.Services.Configure<OwnerOptions>(silo.Configuration.GetSection(OwnerOptions.Section));
        silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// Maps <c>GET /healthz</c>, <c>GET /metrics</c> (Prometheus), the Orleans dashboard at <c>/dashboard</c>, the study
    /// dashboard at <c>/</c> (its API under <c>/api/</c>) and the gRPC front door.
    /// </summary>
    public static WebApplication MapVizierEndpoints(this WebApplication app)
    {
        app.MapVizierGrpcFrontDoor();
        app.MapHealthChecks("/healthz");
        app.MapVizierMetrics();
        app.MapOrleansDashboard("/dashboard");
        app.MapVizierDashboard();
        return app;
    }

    /// <summary>The address other silos and clients use: the configured one, else this host's first non-loopback IPv4.</summary>
    public static IPAddress AdvertisedAddress(SiloSettings settings)
    {
        if (IPAddress.TryParse(settings.AdvertisedIPAddress, out var configured))
        {
            return configured;
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
