using System.Diagnostics;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Persistence;

/// <summary>
/// The seed's third mode, several machines: the worker processes run in their own network namespace, joined to the
/// silo's by a veth pair, and find the cluster only through the Azure Table gateway list. The test creates and removes
/// the namespace itself; traffic stays on its own veth addresses.
/// </summary>
public sealed class MultiMachineTests
{
    [Fact]
    public async Task Workers_in_another_network_namespace_find_the_cluster_through_the_gateway_list()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var network = await TestNetwork.CreateAsync(id);
        var (ns, hostIp) = (network.Namespace, network.HostIp);

        var azurite = new AzuriteFixture(hostIp);
        await azurite.InitializeAsync();
        try
        {
            var settings = SiloProcess.AzureTableSettings($"machines-{id}", "Machines", azurite.ConnectionString);
            settings["Vizier__AdvertisedIPAddress"] = hostIp;
            await using var silo = await SiloProcess.StartAsync(settings);

            const int machines = 3, budget = 30;
            var environment = new Dictionary<string, string>
            {
                ["Vizier__ClusterId"] = settings["Vizier__ClusterId"],
                ["Vizier__ServiceId"] = settings["Vizier__ServiceId"],
                ["Vizier__AzureTables__ConnectionString"] = azurite.ConnectionString,
                ["Vizier__AzureTables__TableName"] = "MachinesMembership",
            };
            var workers = Enumerable.Range(0, machines)
                .Select(i => Process.Start(WorkerSample.StartInfo($"machine-{i}", "machines", "s1", budget, environment, networkNamespace: ns))!)
                .ToList();

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                var results = await Task.WhenAll(workers.Select(async p =>
                {
                    var output = p.StandardOutput.ReadToEndAsync(timeout.Token);
                    var error = p.StandardError.ReadToEndAsync(timeout.Token);
                    await p.WaitForExitAsync(timeout.Token);
                    return (p.ExitCode, Output: await output + await error);
                }));
                Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
            }
            finally
            {
                workers.Where(p => !p.HasExited).ToList().ForEach(p => p.Kill(entireProcessTree: true));
            }

            // Read the result from the host side, through the same gateway list.
            await using var host = await VizierOrleans.ClientGateway.AzureStorage.AzureTableClientHost.ConnectAsync(o =>
            {
                o.ClusterId = settings["Vizier__ClusterId"];
                o.ServiceId = settings["Vizier__ServiceId"];
                o.AzureTables = new VizierOrleans.ClientGateway.Hosting.AzureTableGatewayOptions { ConnectionString = azurite.ConnectionString, TableName = "MachinesMembership" };
            });
            var trials = await host.Client.Study("machines", "s1").ListTrialsAsync();
            Assert.Equal(Enumerable.Range(1, budget).Select(i => (long)i), trials.Select(t => t.Id));
            Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));
            Assert.All(trials, t => Assert.StartsWith("machine-", t.ClientId));
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }
}
