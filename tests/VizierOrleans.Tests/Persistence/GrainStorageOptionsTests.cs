using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VizierOrleans.Persistence.AzureTables;
using VizierOrleans.Persistence.AzureTables.Hosting;

namespace VizierOrleans.Tests.Persistence;

public sealed class GrainStorageOptionsTests
{
    private static IHost Silo(params (string Name, Action<AzureTableGrainStorageOptions> Configure)[] providers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(SiloProcess.FreePort(), SiloProcess.FreePort());
            foreach (var (name, configure) in providers)
            {
                silo.AddVizierAzureTableGrainStorage(name, configure);
            }
        });
        return builder.Build();
    }

    [Theory]
    [InlineData("", "VizierGrainState", "ConnectionString")]
    [InlineData("UseDevelopmentStorage=true", "has-dashes", "TableName 'has-dashes'")]
    public async Task A_bad_storage_option_stops_the_host_at_start_naming_the_provider_and_the_setting(string connectionString, string table, string named)
    {
        // Registering and building succeed; the options are bound and checked when the host starts.
        using var host = Silo(("good", o => o.ConnectionString = "UseDevelopmentStorage=true"), ("bad", o =>
        {
            o.ConnectionString = connectionString;
            o.TableName = table;
        }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Grain storage 'bad'", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'good'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_named_provider_gets_its_own_options()
    {
        using var host = Silo(("a", o => (o.ConnectionString, o.TableName) = ("UseDevelopmentStorage=true", "TableA")), ("b", o =>
        {
            (o.ConnectionString, o.TableName) = ("UseDevelopmentStorage=true", "TableB");
            o.BatchWrites = false;
        }));

        var options = host.Services.GetRequiredService<IOptionsMonitor<AzureTableGrainStorageOptions>>();
        Assert.Equal(("TableA", true), (options.Get("a").TableName, options.Get("a").BatchWrites));
        Assert.Equal(("TableB", false), (options.Get("b").TableName, options.Get("b").BatchWrites));
    }
}
