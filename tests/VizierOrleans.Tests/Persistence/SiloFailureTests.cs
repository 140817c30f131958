using System.Collections.Concurrent;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Persistence;

/// <summary>Two real silo processes with Azure Table membership and storage; one is killed (SIGKILL) under 16 workers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SiloFailureTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Workers_finish_when_a_silo_is_killed_and_no_acknowledged_result_is_lost()
    {
        await using var cluster = await TwoSiloCluster.StartAsync(azurite, "kill", "Kill");
        var (host, second) = (cluster.Host, cluster.Second);

        const int budget = 240, workers = 16;
        var study = await host.Client.CreateOrLoadStudyAsync("chaos", "kill-one", TestConfigs.TwoFloats(maxTrials: budget));
        var acknowledged = new AcknowledgedResults("loss");
        var handedOut = new ConcurrentBag<(long Id, string Client)>();
        var killed = false;
        var runs = Enumerable.Range(0, workers).Select(w => study.RunWorkerAsync($"worker-{w}", async (trial, _) =>
        {
            handedOut.Add((trial.Id, $"worker-{w}"));
            if (acknowledged.Count >= budget / 3 && !Interlocked.Exchange(ref killed, true))
            {
                second.Kill();
            }

            await Task.Delay(5, CancellationToken.None);
            return Measurement.Of("loss", trial.Id * 1.5);
        }, completed: acknowledged.Record)).ToList();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await Task.WhenAll(runs).WaitAsync(timeout.Token);
        Assert.True(killed, "the silo was never killed");
        Assert.True(second.HasExited);

        var trials = await study.ListTrialsAsync();
        acknowledged.AssertNoneLost(trials);
        Assert.Equal(budget, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));

        // A trial is only ever handed to one worker (a worker may get its own trial again after a fault).
        Assert.All(handedOut.GroupBy(h => h.Id), g => Assert.Single(g.Select(h => h.Client).Distinct()));
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
    }
}
