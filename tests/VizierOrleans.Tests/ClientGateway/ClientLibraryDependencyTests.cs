using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using VizierOrleans.ClientGateway;
using VizierOrleans.ClientGateway.AzureStorage;
using VizierOrleans.ClientGateway.Hosting;

namespace VizierOrleans.Tests.ClientGateway;

/// <summary>
/// The worker client library carries what a client needs and nothing of a silo: no Orleans runtime, no membership-table
/// code, no Azure SDK. The Azure Table gateway list is the separate VizierOrleans.ClientGateway.AzureStorage.
/// </summary>
public sealed class ClientLibraryDependencyTests
{
    private static readonly string[] SiloOnly = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Clustering.AzureStorage", "Azure.Data.Tables", "Azure.Identity"];

    [Fact]
    public void The_client_library_references_no_silo_runtime_and_no_membership_table_assembly()
    {
        var referenced = typeof(VizierClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("Orleans.Core", referenced);
        Assert.DoesNotContain(referenced, name => name is "Orleans.Runtime" or "Orleans.Clustering.AzureStorage" || name.StartsWith("Azure.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_library_package_closure_holds_no_silo_runtime_and_no_membership_table_package()
    {
        // Every package the project restores, direct or transitive: what a worker that references it gets.
        var packages = RestoredPackages("src/ClientGateway");
        Assert.Contains("Microsoft.Orleans.Client", packages);
        Assert.Empty(packages.Intersect(SiloOnly));

        // The Azure Table gateway list brings them, through Orleans' own package.
        Assert.Contains("Microsoft.Orleans.Clustering.AzureStorage", RestoredPackages("src/ClientGateway.AzureStorage"));
    }

    [Fact]
    public async Task A_client_given_an_azure_table_without_the_gateway_list_assembly_stops_at_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => VizierClientHost.ConnectAsync(o =>
            o.AzureTables = new AzureTableGatewayOptions { ConnectionString = "UseDevelopmentStorage=true" }));
        Assert.StartsWith("Vizier:AzureTables is set, but this client has no Azure Table gateway list", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureTableClientHost.ConnectAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listed_gateways_win_over_the_azure_table_in_the_gateway_list_assembly_too()
    {
        var options = new VizierClientOptions
        {
            Gateways = ["127.0.0.1:30001"],
            AzureTables = new AzureTableGatewayOptions { ConnectionString = "UseDevelopmentStorage=true" },
        };
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseVizierClusterWithAzureTables(options));
        using var host = builder.Build();
        var listed = host.Services.GetRequiredService<IOptions<StaticGatewayListProviderOptions>>().Value.Gateways;
        Assert.Equal("gwy.tcp://127.0.0.1:30001/0", Assert.Single(listed).ToString());
    }

    private static HashSet<string> RestoredPackages(string project)
    {
        var assets = Path.Combine(RepositoryPaths.Root, project, "obj", "project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        return [.. document.RootElement.GetProperty("targets").EnumerateObject().SelectMany(t => t.Value.EnumerateObject())
            .Where(library => library.Value.GetProperty("type").GetString() == "package")
            .Select(library => library.Name.Split('/')[0])];
    }
}
