using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Configuration;
using Orleans.Dashboard;
using VizierOrleans.Dashboard.Hosting;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grpc.Hosting;
using VizierOrleans.Persistence.AzureTables.Hosting;

namespace VizierOrleans.Silo;

/// <summary>Builds the Vizier silo from <see cref="SiloSettings"/>.</summary>
public static class SiloHostingExtensions
{
    /// <summary>How long a stopping silo may take to hand its grains over before the process exits.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(45);

    /// <summary>Configures Orleans, storage, clustering, the health endpoint and logging.</summary>
    public static WebApplicationBuilder AddVizierSilo(this WebApplicationBuilder builder, SiloSettings settings)
    {
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (settings.HealthPort > 0)
            {
                kestrel.ListenAnyIP(settings.HealthPort);
            }
        });
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("orleans-silo");
        builder.AddVizierGrpcFrontDoor(settings.Grpc);
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

        switch (settings.Clustering)
        {
            case "Localhost":
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
                break;
            case "AzureTable":
                silo.UseAzureTableClustering(o => settings.AzureTables.ApplyTo(o, settings.AzureTables.MembershipTable));
                silo.ConfigureEndpoints(AdvertisedAddress(settings), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
                break;
            default:
                throw new InvalidOperationException($"Vizier:Clustering '{settings.Clustering}' is not one of: Localhost, AzureTable.");
        }

        switch (settings.Storage)
        {
            case "Memory":
                silo.AddMemoryGrainStorage(StorageNames.Vizier);
                break;
            case "AzureTable":
                silo.AddAzureTableGrainStorage(StorageNames.Vizier, o => settings.AzureTables.ApplyTo(o, settings.AzureTables.GrainStateTable));
                break;
            default:
                throw new InvalidOperationException($"Vizier:Storage '{settings.Storage}' is not one of: Memory, AzureTable.");
        }

        // Failure-detection timings can be tuned from configuration (Orleans:Membership:ProbeTimeout and so on).
        silo.Services.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection("Orleans:Membership"));

        silo.AddVizierGrains();
        silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// Maps <c>GET /healthz</c>, the Orleans dashboard at <c>/dashboard</c>, the study dashboard at <c>/</c> (its API
    /// under <c>/api/</c>) and the gRPC front door.
    /// </summary>
    public static WebApplication MapVizierEndpoints(this WebApplication app)
    {
        app.MapVizierGrpcFrontDoor();
        app.MapHealthChecks("/healthz");
        app.MapOrleansDashboard("/dashboard");
        app.MapVizierDashboard();
        return app;
    }

    /// <summary>The address other silos and clients use: the configured one, else this host's first non-loopback IPv4.</summary>
    public static IPAddress AdvertisedAddress(SiloSettings settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.AdvertisedIPAddress))
        {
            return IPAddress.Parse(settings.AdvertisedIPAddress);
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
