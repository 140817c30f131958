using System.Diagnostics;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

/// <summary>The seed's second mode: several worker processes on one machine share one study through the gateway.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkerProcessTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Worker_processes_share_the_study_budget()
    {
        const int processes = 3, budget = 24;
        var studyId = TestConfigs.UniqueId("proc");
        var gateway = fixture.Cluster.Primary!.GatewayAddress!.Endpoint;
        var started = Enumerable.Range(0, processes).Select(i => Process.Start(WorkerSample.StartInfo(
            $"proc-{i}", "procs", studyId, budget, WorkerSample.ClusterEnvironment(fixture.Cluster), ["--gateway", $"127.0.0.1:{gateway.Port}"]))!).ToList();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        (int ExitCode, string Out, string Err)[] outputs;
        try
        {
            outputs = await Task.WhenAll(started.Select(async p =>
            {
                var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
                var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
                await p.WaitForExitAsync(timeout.Token);
                return (p.ExitCode, await stdout, await stderr);
            }));
        }
        finally
        {
            started.Where(p => !p.HasExited).ToList().ForEach(p => p.Kill(entireProcessTree: true));
        }
        Assert.All(outputs, o => Assert.True(o.ExitCode == 0, $"worker exited {o.ExitCode}: {o.Out}\n{o.Err}"));

        var study = fixture.Client.Study("procs", studyId);
        var trials = await study.ListTrialsAsync();
        Assert.Equal(Enumerable.Range(1, budget).Select(i => (long)i), trials.Select(t => t.Id));
        Assert.All(trials, t => Assert.True(t.State.IsCompleted(), $"{t.Name} is {t.State}"));
        Assert.Equal(StudyState.Completed, (await study.GetAsync()).State);
        Assert.Equal(budget, outputs.Sum(o => int.Parse(o.Out.Split("evaluated ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(trials, t => Assert.StartsWith("proc-", t.ClientId));
    }
}
