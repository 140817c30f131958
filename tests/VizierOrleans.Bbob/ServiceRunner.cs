using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob;

/// <summary>
/// Runs a benchmark problem through a live cluster: a study per run, and <c>parallel</c> workers running the client
/// library's loop. With the same seed, a sequential run suggests exactly what <see cref="AlgorithmRunner"/> does.
/// </summary>
public static class ServiceRunner
{
    /// <summary>Best-so-far optimality gap after each trial, in trial-id order.</summary>
    public static async Task<double[]> RunAsync(VizierClient client, string studyId, string algorithm, BbobProblem problem, int trials, long seed, int parallel = 1)
    {
        var config = AlgorithmRunner.Config(problem.D, algorithm, seed) with { MaxTrials = trials };
        var study = await client.CreateOrLoadStudyAsync("benchmarks", studyId, config);
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(w => study.RunWorkerAsync($"bench-{w}", (trial, _) =>
            Task.FromResult(Measurement.Of("value", problem.Evaluate([.. Enumerable.Range(0, problem.D).Select(i => trial.GetDouble($"x{i}"))]))))));
        var best = double.PositiveInfinity;
        return [.. (await study.ListTrialsAsync()).Select(t => best = Math.Min(best, problem.Gap(t.FinalMeasurement!.Metrics["value"])))];
    }

    /// <summary>The parameters the service suggested, in trial-id order (for comparing with the library path).</summary>
    public static async Task<IReadOnlyList<IReadOnlyDictionary<string, ParameterValue>>> SuggestedAsync(VizierClient client, string studyId) =>
        [.. (await client.Study("benchmarks", studyId).ListTrialsAsync()).Select(t => t.Parameters)];
}
