using Azure.Data.Tables;
using VizierOrleans.ClientGateway;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Persistence;

/// <summary>The silo on Orleans' own Azure Table grain storage (<c>Vizier:Storage=OrleansAzureTable</c>), the benchmark's other side.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OrleansGrainStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_silo_on_Orleans_own_azure_table_storage_keeps_a_studys_trials_across_a_restart()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = SiloProcess.AzureTableSettings($"orleans-storage-{id}", "OrleansStore", azurite.ConnectionString);
        settings["Vizier__Storage"] = "OrleansAzureTable";

        await using (var silo = await SiloProcess.StartAsync(settings))
        {
            await using var host = await ConnectAsync(settings);
            var study = await new VizierClient(host.ClusterClient).CreateOrLoadStudyAsync("orleans-storage", "s1", TestConfigs.TwoFloats(maxTrials: 10));
            var trials = await study.SuggestAsync(3, "worker");
            Assert.Equal([1L, 2L, 3L], trials.Select(t => t.Id));
            await trials[0].CompleteAsync(Measurement.Of("loss", 0.25));
            await trials[1].CompleteAsync(Measurement.Of("loss", 0.5));
        }

        // Orleans' provider wrote the rows (its binary "Data" property), not ours ("Encoding", "Length", "Data0"...).
        var rows = new TableClient(azurite.ConnectionString, "OrleansStoreState").QueryAsync<TableEntity>();
        var stored = new List<TableEntity>();
        await foreach (var row in rows)
        {
            stored.Add(row);
        }

        Assert.NotEmpty(stored);
        Assert.All(stored, row => Assert.False(row.ContainsKey("Encoding"), string.Join(", ", row.Keys)));
        Assert.Contains(stored, row => row.ContainsKey("Data"));

        await using (var silo = await SiloProcess.StartAsync(settings))
        {
            await using var host = await ConnectAsync(settings);
            var study = new VizierClient(host.ClusterClient).Study("orleans-storage", "s1");
            var after = await study.ListTrialsAsync();
            Assert.Equal([1L, 2L, 3L], after.Select(t => t.Id));
            Assert.Equal([TrialState.Succeeded, TrialState.Succeeded, TrialState.Active], after.Select(t => t.State));
            Assert.Equal([0.25, 0.5], after.Take(2).Select(t => t.FinalMeasurement!.Metrics["loss"]));
            Assert.Equal([4L], (await study.SuggestAsync(1, "other-worker")).Select(t => t.Id));
        }
    }

    private Task<VizierClientHost> ConnectAsync(Dictionary<string, string> settings) => VizierOrleans.ClientGateway.AzureStorage.AzureTableClientHost.ConnectAsync(o =>
    {
        o.ClusterId = settings["Vizier__ClusterId"];
        o.ServiceId = settings["Vizier__ServiceId"];
        o.AzureTables = new AzureTableGatewayOptions { ConnectionString = azurite.ConnectionString, TableName = "OrleansStoreMembership" };
    });
}
