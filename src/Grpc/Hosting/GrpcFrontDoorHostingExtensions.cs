using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grpc.Pythia;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Grpc.Hosting;

/// <summary>Adds OSS Vizier's gRPC protocol to a web host that can reach the grains (a silo, or an Orleans client).</summary>
public static class GrpcFrontDoorHostingExtensions
{
    /// <summary>
    /// Registers the gRPC front door and the external-policy client. When the port is not 0, Kestrel listens on it
    /// with HTTP/2 only: the OSS client connects in plaintext with prior knowledge, which a mixed HTTP/1+2 endpoint
    /// cannot serve.
    /// </summary>
    public static WebApplicationBuilder AddVizierGrpcFrontDoor(this WebApplicationBuilder builder, GrpcFrontDoorOptions options)
    {
        options.Validate();
        builder.Services.AddSingleton(Options.Create(options));
        if (options.Port > 0)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (!string.IsNullOrWhiteSpace(options.CertificatePath))
                {
                    listen.UseHttps(options.CertificatePath, options.CertificatePassword);
                }
            }));
        }

        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxMessageBytes;
            grpc.MaxSendMessageSize = options.MaxMessageBytes;
            grpc.Interceptors.Add<ErrorInterceptor>();
            if (options.ApiKeys.Count > 0)
            {
                grpc.Interceptors.Add<ApiKeyInterceptor>();
            }
        });
        builder.Services.AddSingleton<PolicyEndpointAllowList>();

        // Cluster calls retry passing faults through the client library's pipeline (same allow-list and backoff).
        builder.Services.TryAddSingleton(services => new VizierRetryPipeline(
            options.RetryBudget,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<VizierRetryPipeline>()));
        builder.Services.AddSingleton<IExternalPolicyClient, PythiaPolicyClient>();

        // grpc.health.v1.Health on the same port, answering from the host's health checks (for load-balancer probes).
        builder.Services.AddGrpcHealthChecks();
        return builder;
    }

    /// <summary>Maps <c>vizier.VizierService</c> on the front door's port (nothing when the port is 0).</summary>
    public static IEndpointRouteBuilder MapVizierGrpcFrontDoor(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<GrpcFrontDoorOptions>>().Value;
        if (options.Port > 0)
        {
            endpoints.MapGrpcService<VizierGrpcService>().RequireHost($"*:{options.Port}");
            endpoints.MapGrpcHealthChecksService().RequireHost($"*:{options.Port}");
        }

        return endpoints;
    }
}
