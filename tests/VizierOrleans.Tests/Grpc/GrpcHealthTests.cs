using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Hosting;

namespace VizierOrleans.Tests.Grpc;

/// <summary>The front door answers grpc.health.v1.Health from the host's health checks, without an API key.</summary>
public sealed class GrpcHealthTests
{
    [Fact]
    public async Task The_gRPC_port_reports_serving_while_the_host_is_healthy_and_not_serving_when_it_is_not_even_with_api_keys_on()
    {
        var healthy = true;
        var port = SiloProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IGrainFactory>(_ => throw new InvalidOperationException("no cluster in this test"));
        builder.Services.AddHealthChecks().AddCheck("cluster", () => healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("cluster gone"));
        builder.AddVizierGrpcFrontDoor(new GrpcFrontDoorOptions { Port = port, ApiKeys = [new ApiKeyOptions { Key = "secret", Owners = "*" }] });
        await using var app = builder.Build();
        app.MapVizierGrpcFrontDoor();
        await app.StartAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://localhost:{port}");
            var health = new Health.HealthClient(channel);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
            healthy = false;
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
