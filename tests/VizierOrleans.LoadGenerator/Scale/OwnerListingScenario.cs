using System.Collections.Immutable;
using System.Diagnostics;
using Orleans.Runtime;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.LoadGenerator.Scale;

/// <summary>
/// An owner of <paramref name="studies"/> studies of <paramref name="trialsPerStudy"/> completed trials each, created with
/// parallel CreateStudy and CreateTrial calls. After the restart: the owner's whole listing on the cold silo, timed, and
/// how many study grains that listing activated (Orleans' management grain, before and after).
/// </summary>
internal sealed class OwnerListingScenario(int studies, int trialsPerStudy, int parallelism) : IScaleScenario
{
    private readonly string _owner = $"scale-owner-{DateTime.UtcNow:yyyyMMddHHmmss}";

    /// <inheritdoc />
    public async Task PopulateAsync(ScaleEnvironment environment, Action<string> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var created = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism / 4), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, studies), options, async (s, ct) =>
        {
            var study = await environment.Client.CreateOrLoadStudyAsync(_owner, $"study-{s:D5}", LoadWorker.Config(AlgorithmNames.RandomSearch, trialsPerStudy));
            await Parallel.ForEachAsync(Enumerable.Range(0, trialsPerStudy), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, _) =>
                await study.AddCompletedTrialAsync(
                    ImmutableDictionary<string, ParameterValue>.Empty.Add("x", (i % 10) - 4.5).Add("y", (s % 10) - 4.5),
                    Measurement.Of("loss", s + i)));
            if (Interlocked.Increment(ref created) % 100 == 0)
            {
                progress($"{_owner}: {created:N0} of {studies:N0} studies of {trialsPerStudy} trials ({created * trialsPerStudy / clock.Elapsed.TotalSeconds:N0} trials/s)");
            }
        });

        // Trial counts reach the owner within the studies' summary interval; the restart must not come before them.
        while ((await environment.Client.ListStudySummariesAsync(_owner, cancellationToken: cancellationToken)).Studies.Sum(s => s.TrialCount) < studies * trialsPerStudy)
        {
            await Task.Delay(500, cancellationToken);
        }

        progress($"{_owner}: {studies:N0} studies of {trialsPerStudy} trials created in {clock.Elapsed.TotalSeconds:N0} s");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScaleRow>> MeasureAsync(ScaleEnvironment environment, Action<string> progress, CancellationToken cancellationToken)
    {
        var before = await StudyActivationsAsync(environment);
        var clock = Stopwatch.StartNew();
        var listed = await environment.Client.ListStudySummariesAsync(_owner, cancellationToken: cancellationToken);
        var cold = clock.Elapsed;
        var activated = await StudyActivationsAsync(environment) - before;
        if (listed.Studies.Count != studies || listed.Studies.Any(s => s.TrialCount != trialsPerStudy))
        {
            throw new InvalidOperationException($"{_owner} listed {listed.Studies.Count} studies ({listed.Studies.Count(s => s.TrialCount == trialsPerStudy)} with {trialsPerStudy} trials), not {studies}.");
        }

        clock.Restart();
        await environment.Client.ListStudySummariesAsync(_owner, cancellationToken: cancellationToken);
        var warm = clock.Elapsed;
        progress($"{_owner}: cold listing {cold.TotalSeconds:F2} s, warm {warm.TotalMilliseconds:F0} ms, {activated} study activations");
        return
        [
            new($"ListStudies, owner with {studies:N0} studies of {trialsPerStudy} trials, cold silo (the whole list through the gateway; the next call {warm.TotalMilliseconds:F0} ms)",
                $"{cold.TotalSeconds:F2} s, {activated} study activations", "<= 1 s, 0 study activations", cold.TotalSeconds <= 1 && activated == 0),
        ];
    }

    // Study grain activations in the cluster (the management grain names grain classes "Namespace.Class,Assembly").
    private static async Task<int> StudyActivationsAsync(ScaleEnvironment environment) =>
        (await environment.ClusterClient.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
            .Where(s => s.GrainType.StartsWith("VizierOrleans.Grains.StudyGrain,", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
}
