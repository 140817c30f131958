using System.Security.Cryptography;
using Azure.Data.Tables;
using Orleans.TestingHost;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Persistence;

[Collection(AzuriteCollection.Name)]
public sealed class OwnerListingStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Listing_an_owner_after_a_restart_answers_from_its_summaries_without_activating_a_study()
    {
        var serviceId = $"owner-cold-{Guid.NewGuid():N}"[..24];
        await OnClusterAsync(serviceId, async cluster =>
        {
            var client = new VizierClient(cluster.Client);
            for (var s = 0; s < 4; s++)
            {
                var study = await client.CreateOrLoadStudyAsync("cold", $"s{s}", TestConfigs.TwoFloats());
                foreach (var t in await study.SuggestAsync(s + 1, "w"))
                {
                    await t.CompleteAsync(Measurement.Of("loss", 10 * s + t.Id));
                }
            }

            await client.Study("cold", "s3").SetStateAsync(StudyState.Inactive);
            await Eventually.ReadAsync(() => client.ListStudySummariesAsync("cold"), p => p.Studies.Sum(s => s.TrialCount) == 10);
        });

        await OnClusterAsync(serviceId, async cluster =>
        {
            var client = new VizierClient(cluster.Client);
            var listed = (await client.ListStudySummariesAsync("cold")).Studies;
            Assert.Equal(["s0", "s1", "s2", "s3"], listed.Select(s => s.Study.StudyId));
            Assert.Equal([1, 2, 3, 4], listed.Select(s => s.TrialCounts[TrialState.Succeeded]));
            Assert.Equal([1.0, 11, 21, 31], listed.Select(s => s.Best["loss"]));
            Assert.Equal([StudyState.Active, StudyState.Active, StudyState.Active, StudyState.Inactive], listed.Select(s => s.Study.State));
            Assert.Equal(4, (await client.ListStudiesAsync("cold")).Count);
            Assert.Equal(0, await ActivationsAsync(cluster, "StudyGrain"));
            Assert.Equal(1, await ActivationsAsync(cluster, "OwnerGrain"));

            // The count sees study activations when there are some.
            await client.Study("cold", "s1").GetAsync();
            Assert.Equal(1, await ActivationsAsync(cluster, "StudyGrain"));
        });
    }

    [Fact]
    public async Task An_owner_whose_summaries_outgrow_one_entity_keeps_them_in_rows_below_1_MiB()
    {
        var serviceId = $"owner-big-{Guid.NewGuid():N}"[..24];
        const int studies = 120;

        // 12 KiB of random text per study (stored twice in each summary: config and current metadata), so even
        // compressed the summaries are well over one entity.
        var blobs = Enumerable.Range(0, studies).Select(_ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(9 * 1024))).ToList();
        StudyConfig Config(int i) => TestConfigs.TwoFloats() with { Metadata = Metadata.Empty.With("", "blob", blobs[i]) };
        await OnClusterAsync(serviceId, async cluster =>
        {
            var client = new VizierClient(cluster.Client);
            await Parallel.ForEachAsync(Enumerable.Range(0, studies), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
                await client.CreateOrLoadStudyAsync("big", $"s{i:D3}", Config(i)));
            Assert.Equal(studies, (await client.ListStudiesAsync("big")).Count);
        });

        var table = new TableClient(azurite.ConnectionString, "ClusterTests");
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == $"{serviceId}|owner"))
        {
            rows.Add(row);
        }

        var pages = rows.Where(r => r.RowKey.Contains("owner-page-", StringComparison.Ordinal) && r.RowKey.EndsWith("|big", StringComparison.Ordinal)).ToList();
        var stored = pages.Select(r => r.Select(p => p.Value).OfType<byte[]>().Sum(b => (long)b.Length)).ToList();
        Assert.True(stored.Sum() > 1024 * 1024, $"the summaries take {stored.Sum():N0} bytes in all");
        Assert.All(stored, bytes => Assert.True(bytes < 1024 * 1024 - 8 * 1024, $"a page row holds {bytes:N0} bytes"));
        Assert.True(pages.Count >= 3, $"{pages.Count} page rows");

        await OnClusterAsync(serviceId, async cluster =>
        {
            var listed = await new VizierClient(cluster.Client).ListStudiesAsync("big");
            Assert.Equal(Enumerable.Range(0, studies).Select(i => $"s{i:D3}"), listed.Select(s => s.StudyId));
            Assert.Equal(blobs, listed.Select(s => s.Metadata.Get("", "blob")));
            Assert.Equal(0, await ActivationsAsync(cluster, "StudyGrain"));
        });
    }

    // One cluster on this test's stored data, stopped afterwards (a second one on the same service id finds it again).
    private async Task OnClusterAsync(string serviceId, Func<TestCluster, Task> body)
    {
        var cluster = await TestClusters.StartOnAzureTablesAsync(azurite.ConnectionString, serviceId);
        try
        {
            await body(cluster);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    // Activations of the grain class VizierOrleans.Grains.{type} across the cluster, from Orleans' management grain
    // (which names grain types "Namespace.Class,Assembly").
    private static async Task<int> ActivationsAsync(TestCluster cluster, string type) =>
        (await cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
            .Where(s => s.GrainType.StartsWith($"VizierOrleans.Grains.{type},", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
}
