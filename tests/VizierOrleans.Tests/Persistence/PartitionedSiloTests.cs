namespace VizierOrleans.Tests.Persistence;

/// <summary>
/// Two real silo processes with Azure Table membership and storage under 16 workers, the second one in its own network
/// namespace; its link is taken down past the membership's probe timeout (the cluster declares it dead and
/// reactivates its grains elsewhere, while it still runs cut off), then brought back up.
/// </summary>
public sealed class PartitionedSiloTests
{
    [Fact]
    public async Task A_silo_cut_off_past_the_probe_timeout_and_reconnected_loses_no_result_and_hands_no_trial_out_twice()
    {
        await using var network = await TestNetwork.CreateAsync(Guid.NewGuid().ToString("N")[..6]);
        var azurite = new AzuriteFixture(network.HostIp);
        await azurite.InitializeAsync();
        try
        {
            await using var cluster = await TwoSiloCluster.StartAsync(azurite, "partition", "Partition", network);
            await FailoverRun.RunAsync(cluster.Host, "partition-one", async () =>
            {
                await network.SetLinkAsync(up: false);

                // Well past ProbeTimeout x NumMissedProbesLimit: the cluster declares the cut-off silo dead meanwhile.
                await Task.Delay(TimeSpan.FromSeconds(15), CancellationToken.None);
                await network.SetLinkAsync(up: true);
            });
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }
}
