using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VizierOrleans.Dashboard.Access;
using VizierOrleans.Dashboard.Api;
using VizierOrleans.Dashboard.Data;
using VizierOrleans.Dashboard.Events;
using VizierOrleans.Grains.Interfaces.Events;
using VizierOrleans.Grpc;

namespace VizierOrleans.Dashboard.Hosting;

/// <summary>Adds the study dashboard (web page, JSON API, event feed) to a web host that reaches the grains: a silo or an Orleans client.</summary>
public static class DashboardHostingExtensions
{
    /// <summary>The folder, next to the host's assemblies, that holds the built web page.</summary>
    public const string WebFolder = "dashboard-web";

    /// <summary>
    /// Registers the dashboard's services. <paramref name="apiKeys"/> are the gRPC front door's keys (<c>Vizier:Grpc:ApiKeys</c>):
    /// with any, the API needs one and shows only its owners. The host must reach the study-event stream: silos get it
    /// from <c>AddVizierGrains</c>, Orleans clients from <see cref="AddVizierStudyEvents"/>.
    /// </summary>
    public static WebApplicationBuilder AddVizierDashboard(this WebApplicationBuilder builder, IEnumerable<ApiKeyOptions> apiKeys)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new DashboardAccess(new ApiKeyGrants(apiKeys)));
        services.AddSingleton<StudyReader>();
        services.AddSingleton<StudyEventHub>();
        services.AddHostedService(sp => sp.GetRequiredService<StudyEventHub>());
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        services.AddOpenApi(DashboardEndpoints.Group, o =>
        {
            o.ShouldInclude = d => d.GroupName == DashboardEndpoints.Group;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "VizierOrleans dashboard API";
                document.Info.Description = $"The study dashboard's data. With API keys configured, send one in the '{ApiKeyGrants.Header}' header.";
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Adds the study-event stream (<see cref="StudyEventStreams.Provider"/>) to an Orleans client, for the dashboard's event feed.</summary>
    public static IClientBuilder AddVizierStudyEvents(this IClientBuilder client) => client.AddMemoryStreams(StudyEventStreams.Provider);

    /// <summary>
    /// Maps the page at <c>/</c> (its bundle under <c>/assets/</c>), the JSON API under <c>/api/</c>, the event feed at
    /// <c>/api/events</c> and the API's OpenAPI document at <c>/api/openapi/dashboard.json</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapVizierDashboard(this IEndpointRouteBuilder endpoints)
    {
        DashboardEndpoints.Map(endpoints);
        endpoints.MapOpenApi("/api/openapi/{documentName}.json");
        var root = Path.Combine(AppContext.BaseDirectory, WebFolder);
        var types = new FileExtensionContentTypeProvider();
        endpoints.MapGet("/", () => File(Path.Combine(root, "index.html"), "text/html; charset=utf-8", cache: false)).ExcludeFromDescription();
        endpoints.MapGet("/assets/{file}", (string file) =>
        {
            // Vite names the files by content hash: they never change, and nothing outside the folder is served.
            var path = Path.Combine(root, "assets", Path.GetFileName(file));
            return types.TryGetContentType(path, out var type) ? File(path, type, cache: true) : Results.NotFound();
        }).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult File(string path, string contentType, bool cache) =>
        System.IO.File.Exists(path)
            ? new CachedFileResult(path, contentType, cache)
            : Results.Text($"The dashboard's web page was not built ({path} is missing): build src/Dashboard without -p:SkipDashboardWeb=true.", statusCode: 404);

    private sealed class CachedFileResult(string path, string contentType, bool cache) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = cache ? "public, max-age=31536000, immutable" : "no-cache";
            return Results.File(path, contentType).ExecuteAsync(httpContext);
        }
    }
}
