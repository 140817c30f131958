using System.Collections.Concurrent;
using VizierOrleans.ClientGateway.Hosting;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Persistence;

/// <summary>
/// The chaos tests' run and checks: 16 workers on a new study of 240 trials; once a third of them is acknowledged, the
/// fault runs (once) while the workers go on. Afterwards every acknowledged result is stored, no trial went to two
/// workers, the workers saw no error, the study completed with ids in order, and the count of skipped ids is printed.
/// </summary>
internal static class FailoverRun
{
    public static async Task RunAsync(VizierClientHost host, string studyId, Func<Task> fault)
    {
        const int budget = 240, workers = 16;
        var study = await host.Client.CreateOrLoadStudyAsync("chaos", studyId, TestConfigs.TwoFloats(maxTrials: budget));
        var acknowledged = new AcknowledgedResults("loss");
        var handedOut = new ConcurrentBag<(long Id, string Client)>();
        var started = 0;
        Task? faulting = null;
        var runs = Enumerable.Range(0, workers).Select(w => study.RunWorkerAsync($"worker-{w}", async (trial, _) =>
        {
            handedOut.Add((trial.Id, $"worker-{w}"));
            if (acknowledged.Count >= budget / 3 && Interlocked.Exchange(ref started, 1) == 0)
            {
                faulting = Task.Run(fault, CancellationToken.None);
            }

            await Task.Delay(5, CancellationToken.None);
            return Measurement.Of("loss", trial.Id * 1.5);
        }, completed: acknowledged.Record)).ToList();

        // A worker that saw an error (after the client's retries) fails this.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await Task.WhenAll(runs).WaitAsync(timeout.Token);
        Assert.Equal(1, started);
        await faulting!;

        var trials = await study.ListTrialsAsync();
        acknowledged.AssertNoneLost(trials);
        Assert.Equal(trials.Select(t => t.Id).Order(), trials.Select(t => t.Id));
        Assert.Equal(budget, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));

        // A trial is only ever handed to one worker (a worker may get its own trial again after a fault).
        Assert.All(handedOut.GroupBy(h => h.Id), g => Assert.Single(g.Select(h => h.Client).Distinct()));
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);

        // Ids are 1..budget, except ids that an activation declared dead had allocated: the count is reported.
        Console.WriteLine($"{studyId} run: {budget} trials, highest id {trials[^1].Id}, {trials[^1].Id - budget} skipped ids");
    }
}
