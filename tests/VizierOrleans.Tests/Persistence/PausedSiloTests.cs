using System.Collections.Concurrent;
using VizierOrleans.Grains.Interfaces.Model;

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
        var (host, second) = (cluster.Host, cluster.Second);

        const int budget = 240, workers = 16;
        var study = await host.Client.CreateOrLoadStudyAsync("chaos", "pause-one", TestConfigs.TwoFloats(maxTrials: budget));
        var acknowledged = new AcknowledgedResults("loss");
        var handedOut = new ConcurrentBag<(long Id, string Client)>();
        var paused = 0;
        Task? pause = null;
        var runs = Enumerable.Range(0, workers).Select(w => study.RunWorkerAsync($"worker-{w}", async (trial, _) =>
        {
            handedOut.Add((trial.Id, $"worker-{w}"));
            if (acknowledged.Count >= budget / 3 && Interlocked.Exchange(ref paused, 1) == 0)
            {
                second.Signal("STOP");
                pause = Task.Run(async () =>
                {
                    // Well past ProbeTimeout x NumMissedProbesLimit: the cluster declares the paused silo dead meanwhile.
                    await Task.Delay(TimeSpan.FromSeconds(15), CancellationToken.None);
                    second.Signal("CONT");
                }, CancellationToken.None);
            }

            await Task.Delay(5, CancellationToken.None);
            return Measurement.Of("loss", trial.Id * 1.5);
        }, completed: acknowledged.Record)).ToList();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await Task.WhenAll(runs).WaitAsync(timeout.Token);
        Assert.Equal(1, paused);
        await pause!;

        var trials = await study.ListTrialsAsync();
        acknowledged.AssertNoneLost(trials);
        Assert.Equal(trials.Select(t => t.Id).Order(), trials.Select(t => t.Id));
        Assert.Equal(budget, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));

        // A trial is only ever handed to one worker (a worker may get its own trial again after a fault).
        Assert.All(handedOut.GroupBy(h => h.Id), g => Assert.Single(g.Select(h => h.Client).Distinct()));
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);

        // Ids are 1..budget, except ids that an activation declared dead had allocated: the count is reported.
        var gaps = trials[^1].Id - budget;
        Console.WriteLine($"paused-silo run: {budget} trials, highest id {trials[^1].Id}, {gaps} skipped ids");
    }
}
