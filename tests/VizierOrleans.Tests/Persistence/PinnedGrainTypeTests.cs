using System.Text.Json;
using Azure.Data.Tables;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Persistence;

[Collection(AzuriteCollection.Name)]
public sealed class PinnedGrainTypeTests(AzuriteFixture azurite)
{
    // Rows written by the code before the grain types were pinned (commit eec36a3): a study of two trials, one completed.
    private static readonly string Fixture = Path.Combine(RepositoryPaths.Root, "tests", "VizierOrleans.Tests", "Persistence", "Fixtures", "stored-before-18.json");

    [Fact]
    public async Task A_study_stored_before_the_grain_types_were_pinned_loads_with_its_trials_and_owner_list()
    {
        var table = new TableClient(azurite.ConnectionString, "ClusterTests");
        await table.CreateIfNotExistsAsync();
        foreach (var row in JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(await File.ReadAllTextAsync(Fixture))!)
        {
            var entity = new TableEntity(row["PartitionKey"].GetString(), row["RowKey"].GetString());
            foreach (var (name, value) in row.Where(p => p.Key is not ("PartitionKey" or "RowKey")))
            {
                entity[name] = value.ValueKind switch
                {
                    JsonValueKind.Object => Convert.FromBase64String(value.GetProperty("binary").GetString()!),
                    JsonValueKind.Number => value.GetInt32(),
                    _ => value.GetString(),
                };
            }

            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace);
        }

        var cluster = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, "pinned-grain-types");
        try
        {
            var client = new VizierClient(cluster.Client);
            var study = client.Study("pin", "stored-before-18");
            Assert.Equal(10, (await study.GetAsync()).Config.MaxTrials);
            Assert.Contains(await client.ListStudiesAsync("pin"), s => s.StudyId == "stored-before-18");

            var trials = await study.ListTrialsAsync();
            Assert.Equal([1L, 2L], trials.Select(t => t.Id));
            Assert.Equal(TrialState.Succeeded, trials[0].State);
            Assert.Equal(3, trials[0].FinalMeasurement!.Metrics["loss"]);
            Assert.Equal([1L], trials[0].Measurements.Select(m => m.Steps));
            Assert.Equal(("worker-a", TrialState.Active), (trials[1].ClientId, trials[1].State));

            // The worker resumes its trial, and new ids continue after the stored ones.
            Assert.Equal([2L, 3L], (await study.SuggestAsync(2, "worker-a")).Select(t => t.Id));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
