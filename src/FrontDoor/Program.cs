using VizierOrleans.ClientGateway.AzureStorage;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Dashboard.Hosting;
using VizierOrleans.FrontDoor;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Hosting;

// A stateless gRPC front door: OSS Vizier's protocol outside the cluster, reaching the study grains as an Orleans
// client, and the study dashboard on its HTTP port. Run as many as needed behind a load balancer; silos serve the
// same protocol and dashboard themselves.
// Content root at the program's directory: appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var cluster = SettingsValidation.ThrowIfInvalid(builder.Configuration.GetSection(VizierClientOptions.Section).Get<VizierClientOptions>() ?? new VizierClientOptions());
var grpc = builder.Configuration.GetSection(GrpcFrontDoorOptions.Section).Get<GrpcFrontDoorOptions>() ?? new GrpcFrontDoorOptions();
var healthPort = builder.Configuration.GetValue("Vizier:HealthPort", 8081);
builder.Services.AddVizierClientOptions();
builder.Services.AddOptions<GrpcFrontDoorOptions>().BindConfiguration(GrpcFrontDoorOptions.Section).ValidateDataAnnotations().ValidateOnStart();

builder.UseOrleansClient(client => client.UseVizierClusterWithAzureTables(cluster).AddActivityPropagation().AddVizierStudyEvents());
builder.AddVizierGrpcFrontDoor(grpc);
builder.AddVizierOpenTelemetry("vizier-front-door");
builder.AddVizierDashboard(grpc.ApiKeys);
if (healthPort > 0)
{
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(healthPort));
}

builder.Services.AddHealthChecks().AddCheck<ClusterClientHealthCheck>("orleans-client");

var app = builder.Build();
app.MapVizierGrpcFrontDoor();
app.MapHealthChecks("/healthz");
app.MapVizierMetrics();
app.MapVizierDashboard();
await app.RunAsync();
