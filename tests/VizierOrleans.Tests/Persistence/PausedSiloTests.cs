namespace VizierOrleans.Tests.Persistence;

/// <summary>
/// Two real silo processes with Azure Table membership and storage under 16 workers; one is paused with SIGSTOP past
/// the membership's probe timeout (the cluster declares it dead and reactivates its grains elsewhere), then resumed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PausedSiloTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_silo_paused_past_the_probe_timeout_and_resumed_loses_no_result_and_hands_no_trial_out_twice()
    {
        await using var cluster = await TwoSiloCluster.StartAsync(azurite, "pause", "Pause");
        await FailoverRun.RunAsync(cluster.Host, "pause-one", async () =>
        {
            cluster.Second.Signal("STOP");

            // Well past ProbeTimeout x NumMissedProbesLimit: the cluster declares the paused silo dead meanwhile.
            await Task.Delay(TimeSpan.FromSeconds(15), CancellationToken.None);
            cluster.Second.Signal("CONT");
        });
    }
}
