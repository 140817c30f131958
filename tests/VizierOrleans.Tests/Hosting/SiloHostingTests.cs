using System.Diagnostics;
using System.Globalization;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Silo;
using VizierOrleans.Tests.Persistence;

namespace VizierOrleans.Tests.Hosting;

/// <summary>The silo host behaves like a .NET service: it finds its settings, keeps its log readable, stops on SIGTERM.</summary>
public sealed class SiloHostingTests
{
    [Fact]
    public async Task A_silo_started_from_another_directory_reads_its_appsettings_and_logs_no_per_request_or_per_placement_lines()
    {
        var elsewhere = Directory.CreateTempSubdirectory("vizier-cwd-").FullName;
        try
        {
            // No Logging__* override: the levels come from src/Silo/appsettings.json or nowhere.
            var settings = new Dictionary<string, string> { ["Vizier__Clustering"] = "Localhost", ["Vizier__Storage"] = "Memory" };
            await using var silo = await SiloProcess.StartAsync(settings, workingDirectory: elsewhere);
            await using (var host = await VizierClientHost.ConnectAsync(o => o.Gateways = [$"127.0.0.1:{silo.GatewayPort}"]))
            {
                var study = await host.Client.CreateOrLoadStudyAsync("hosting", "quiet-log", TestConfigs.TwoFloats(maxTrials: 20));
                await study.RunWorkerAsync("worker", (trial, _) => Task.FromResult(Measurement.Of("loss", trial.Id)));
                Assert.Equal(20, (await study.ListTrialsAsync()).Count);
            }

            using var http = new HttpClient();
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("Healthy", await http.GetStringAsync(new Uri($"http://127.0.0.1:{silo.HealthPort}/healthz")));
            }

            Assert.True(await silo.TryStopAsync(TimeSpan.FromSeconds(60)), silo.Log);
            Assert.DoesNotContain("Polly", silo.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("Request starting", silo.Log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task Sigterm_stops_a_silo_within_its_shutdown_timeout_when_azure_storage_is_gone()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var id = Guid.NewGuid().ToString("N")[..10];
            var settings = SiloProcess.AzureTableSettings($"sigterm-{id}", "Sigterm", azurite.ConnectionString);
            settings["Vizier__ShutdownTimeout"] = "00:00:05";
            await using var silo = await SiloProcess.StartAsync(settings);
            await azurite.StopAsync();

            // The shutdown timeout plus the time a loaded machine needs to start and end a process; without the
            // bound, the silo retried the membership table for about 45 s and then hung until SIGKILL.
            var clock = Stopwatch.StartNew();
            Assert.True(await silo.TryStopAsync(TimeSpan.FromSeconds(30)), $"still running {clock.Elapsed.TotalSeconds:F0} s after SIGTERM:\n{silo.Log}");
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("Vizier:SiloPort", "70000")]
    [InlineData("Vizier:GatewayPort", "0")]
    [InlineData("Vizier:HealthPort", "-1")]
    [InlineData("Vizier:Clustering", "Consul")]
    [InlineData("Vizier:Storage", "Redis")]
    [InlineData("Vizier:ClusterId", "")]
    [InlineData("Vizier:AdvertisedIPAddress", "not-an-address")]
    [InlineData("Vizier:ShutdownTimeout", "00:00:00")]
    [InlineData("Vizier:AzureTables:ConnectionString", "")]
    [InlineData("Vizier:AzureTables:GrainStateTable", "x")]
    [InlineData("Vizier:AzureTables:MembershipTable", "has-dashes")]
    [InlineData("Vizier:Grpc:Port", "65536")]
    [InlineData("Vizier:Grpc:MaxPageSize", "0")]
    [InlineData("Vizier:Grpc:MaxMessageBytes", "10")]
    public async Task A_bad_silo_setting_stops_the_host_at_start_with_a_message_naming_it(string setting, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var builder = SiloHostingExtensions.CreateVizierSiloBuilder(["--Vizier:HealthPort=0", "--Vizier:Grpc:Port=0", $"--{setting}={value}"]);
            await using var app = builder.Build();
            await app.StartAsync();
        });
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Good_silo_settings_pass_validation_and_the_silo_starts()
    {
        var builder = SiloHostingExtensions.CreateVizierSiloBuilder([
            "--Vizier:Clustering=Localhost", "--Vizier:Storage=Memory", "--Vizier:HealthPort=0", "--Vizier:Grpc:Port=0",
            $"--Vizier:SiloPort={SiloProcess.FreePort()}", $"--Vizier:GatewayPort={SiloProcess.FreePort()}"]);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.StopAsync();
    }

    [Theory]
    [InlineData("Vizier:Gateways:0", "no-port")]
    [InlineData("Vizier:GatewayPort", "0")]
    [InlineData("Vizier:ServiceId", "")]
    [InlineData("Vizier:AzureTables:TableName", "a")]
    public async Task A_bad_client_setting_stops_the_client_at_start_with_a_message_naming_it(string setting, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => VizierClientHost.ConnectAsync(o =>
        {
            switch (setting)
            {
                case "Vizier:Gateways:0": o.Gateways = [value]; break;
                case "Vizier:GatewayPort": o.GatewayPort = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "Vizier:ServiceId": o.ServiceId = value; break;
                default: o.AzureTables = new AzureTableGatewayOptions { ConnectionString = "UseDevelopmentStorage=true", TableName = value }; break;
            }
        }));
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
