using System.Diagnostics;
using VizierOrleans.Grains;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

/// <summary>Worker processes killed with SIGKILL in the middle of a trial: the others finish the study.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkerChaosTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Trials_of_killed_workers_go_to_the_survivors_after_the_lease()
    {
        const int processes = 4, budget = 16;
        var studyId = TestConfigs.UniqueId("chaos");
        var gateway = fixture.Cluster.Primary!.GatewayAddress!.Endpoint;
        var workers = Enumerable.Range(0, processes).Select(i => new WorkerProcess(i, studyId, budget, gateway.Port, fixture)).ToList();
        long[] held;
        try
        {
            // Kill two workers right after they start evaluating a trial (so they die holding it).
            held = await Task.WhenAll(workers.Take(2).Select(w => w.KillWhileEvaluatingAsync(TimeSpan.FromSeconds(60))));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var survivors = await Task.WhenAll(workers.Skip(2).Select(w => w.WaitAsync(timeout.Token)));
            Assert.All(survivors, s => Assert.True(s.ExitCode == 0, s.Output));
        }
        finally
        {
            workers.ForEach(w => w.Kill());
        }

        var study = fixture.Client.Study("chaos", studyId);
        var trials = await study.ListTrialsAsync();
        Assert.Equal(Enumerable.Range(1, budget).Select(i => (long)i), trials.Select(t => t.Id));
        Assert.All(trials, t => Assert.Equal(TrialState.Succeeded, t.State));
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);

        // The trials the killed workers held were released and finished by a survivor. The release's origin is not
        // checked: a survivor slowed past the lease by a busy machine may have had such a trial released again, which
        // records that survivor as the origin; the trial is still finished by a survivor.
        Assert.Equal(2, held.Distinct().Count());
        foreach (var id in held)
        {
            var trial = Assert.Single(trials, t => t.Id == id);
            Assert.NotNull(trial.Metadata.Get(TrialGrain.ReleasedNamespace, "released_from"));
            Assert.Contains(trial.ClientId!, new[] { "chaos-2", "chaos-3" });
        }
    }

    private sealed class WorkerProcess
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();
        private readonly TaskCompletionSource<long> _evaluating = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public WorkerProcess(int index, string studyId, int budget, int gatewayPort, ClusterFixture fixture)
        {
            var info = WorkerSample.StartInfo(
                $"chaos-{index}", "chaos", studyId, budget, WorkerSample.ClusterEnvironment(fixture.Cluster),
                ["--gateway", $"127.0.0.1:{gatewayPort}", "--evaluation-delay-ms", "400", "--trial-lease-seconds", "3"]);
            _process = Process.Start(info)!;
            _process.OutputDataReceived += (_, e) =>
            {
                lock (_output)
                {
                    _output.AppendLine(e.Data);
                }

                // "chaos-N: evaluating trial ID"
                if (e.Data is { } line && line.IndexOf("evaluating trial ", StringComparison.Ordinal) is var at and >= 0)
                {
                    _evaluating.TrySetResult(long.Parse(line[(at + "evaluating trial ".Length)..], System.Globalization.CultureInfo.InvariantCulture));
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                lock (_output)
                {
                    _output.AppendLine(e.Data);
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        /// <summary>Kills the worker once it evaluates a trial; returns that trial's id.</summary>
        public async Task<long> KillWhileEvaluatingAsync(TimeSpan timeout)
        {
            var trialId = await _evaluating.Task.WaitAsync(timeout);
            Kill();
            return trialId;
        }

        public async Task<(int ExitCode, string Output)> WaitAsync(CancellationToken cancellationToken)
        {
            await _process.WaitForExitAsync(cancellationToken);
            lock (_output)
            {
                return (_process.ExitCode, _output.ToString());
            }
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
    }
}
