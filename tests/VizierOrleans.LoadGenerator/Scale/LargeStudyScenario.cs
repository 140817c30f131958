using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.LoadGenerator.Scale;

/// <summary>
/// A study of <paramref name="trials"/> completed trials (2 parameters, 5 intermediate measurements each) and one of
/// <paramref name="smallTrials"/>, created with parallel CreateTrial calls. After the restart: the first call on the
/// cold large study, the GC heap its activation holds per trial, ListTrials pages of 1,000, and suggest p50 on the
/// large study against the small one.
/// </summary>
internal sealed class LargeStudyScenario(int trials, int smallTrials, int parallelism) : IScaleScenario
{
    private const int Measurements = 5;
    private const int PageSize = 1000;
    private const int Pages = 20;
    private const int SuggestWarmup = 50;
    private const int SuggestRounds = 200;

    private readonly string _prefix = $"scale-{DateTime.UtcNow:yyyyMMddHHmmss}";

    private string Large => $"{_prefix}-{trials}";

    private string Small => $"{_prefix}-{smallTrials}";

    /// <inheritdoc />
    public async Task PopulateAsync(ScaleEnvironment environment, Action<string> progress, CancellationToken cancellationToken)
    {
        foreach (var (id, count) in new[] { (Large, trials), (Small, smallTrials) })
        {
            var study = await environment.Client.CreateOrLoadStudyAsync("scale", id, LoadWorker.Config(AlgorithmNames.RandomSearch, 1) with { MaxTrials = null });
            var clock = Stopwatch.StartNew();
            var done = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (i, _) =>
            {
                await study.AddTrialAsync(Completed(i));
                if (Interlocked.Increment(ref done) % 10_000 == 0)
                {
                    progress($"{study.Name}: {done:N0} of {count:N0} trials created ({done / clock.Elapsed.TotalSeconds:N0}/s)");
                }
            });
            progress($"{study.Name}: {count:N0} trials created in {clock.Elapsed.TotalSeconds:N0} s");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScaleRow>> MeasureAsync(ScaleEnvironment environment, Action<string> progress, CancellationToken cancellationToken)
    {
        var large = environment.Client.Study("scale", Large);
        var small = environment.Client.Study("scale", Small);

        // The live GC heap (after a full compacting collection) before and after the first call, in this process: the
        // silo, the client and the benchmark. The difference is what the study's activation holds (its index, record
        // and caches) plus whatever the read left behind elsewhere: buffers kept by pools (ArrayPool, the Azure SDK's),
        // Orleans' caches. So it is an upper bound of the index's own size.
        var before = ScaleEnvironment.HeapBytes();
        var clock = Stopwatch.StartNew();
        await large.GetAsync();
        var cold = clock.Elapsed;
        var perTrial = (ScaleEnvironment.HeapBytes() - before) / (double)trials;
        progress($"cold first call {cold.TotalSeconds:F2} s, {perTrial:N0} bytes of heap growth per trial");

        var random = new Random(1);
        await large.ListTrialsAsync(new TrialFilter { MaxCount = PageSize });
        var pages = new List<double>();
        for (var i = 0; i < Pages; i++)
        {
            var filter = new TrialFilter { AfterId = random.NextInt64(0, Math.Max(1, trials - PageSize)), MaxCount = PageSize };
            clock.Restart();
            var page = await large.ListTrialsAsync(filter);
            pages.Add(clock.Elapsed.TotalMilliseconds);
            if (page.Count != PageSize || page[0].Measurements.Count != Measurements)
            {
                throw new InvalidOperationException($"ListTrials after {filter.AfterId} returned {page.Count} trials ({page.FirstOrDefault()?.Measurements.Count} measurements on the first), not {PageSize} with {Measurements}.");
            }
        }

        var page50 = Median(pages);
        progress($"ListTrials pages of {PageSize}: p50 {page50:F1} ms, max {pages.Max():F1} ms");
        var summaries = new List<double>();
        for (var i = 0; i < Pages; i++)
        {
            var filter = new TrialFilter { AfterId = random.NextInt64(0, Math.Max(1, trials - PageSize)), MaxCount = PageSize, IntermediateMeasurements = false };
            clock.Restart();
            var page = await large.ListTrialsAsync(filter);
            summaries.Add(clock.Elapsed.TotalMilliseconds);
            if (page.Count != PageSize)
            {
                throw new InvalidOperationException($"ListTrials after {filter.AfterId} returned {page.Count} trials, not {PageSize}.");
            }
        }

        var summary50 = Median(summaries);

        await small.GetAsync();
        var (largeSuggest, smallSuggest) = await SuggestP50Async(large, small);
        var ratio = largeSuggest / smallSuggest;
        progress($"suggest p50: {largeSuggest:F2} ms at {trials:N0}, {smallSuggest:F2} ms at {smallTrials:N0}");

        return
        [
            new($"first call on a cold {trials:N0}-trial study (2 params, {Measurements} intermediate measurements per trial)", $"{cold.TotalSeconds:F2} s", "<= 3 s", cold.TotalSeconds <= 3),
            new("silo memory held per trial in that study (live GC heap of the process after a full collection, after minus before its first call, / trials: the index plus what the read left in pools and caches)", $"{perTrial:N0} bytes", "<= 1 KiB", perTrial <= 1024),
            new($"ListTrials page of {PageSize:N0} from that study, whole trials ({Pages} pages at random ids, over the gateway)", $"p50 {page50:F1} ms, max {pages.Max():F1} ms", "<= 100 ms", page50 <= 100),
            new("the same, final values only (IntermediateMeasurements = false: the index, no storage read)", $"p50 {summary50:F1} ms, max {summaries.Max():F1} ms", "<= 100 ms", summary50 <= 100),
            new($"suggest p50 at {trials:N0} trials vs at {smallTrials:N0} ({SuggestRounds} suggest + complete rounds each, RANDOM_SEARCH)", string.Create(CultureInfo.InvariantCulture, $"{largeSuggest:F2} / {smallSuggest:F2} ms = {ratio:F2}x"), "<= 1.25x", ratio <= 1.25),
        ];
    }

    // The two studies take turns, round by round, so both are measured under the same conditions: measured one after
    // the other, the first study's rounds also carried the JIT's tier-up of the suggest path and the collections that
    // follow the large study's cold read, and the ratio moved with whichever study went first.
    private static async Task<(double Large, double Small)> SuggestP50Async(StudyHandle large, StudyHandle small)
    {
        List<double> largeSamples = [], smallSamples = [];
        for (var i = 0; i < SuggestWarmup + SuggestRounds; i++)
        {
            var measured = i >= SuggestWarmup;
            await SuggestRoundAsync(large, measured ? largeSamples : null);
            await SuggestRoundAsync(small, measured ? smallSamples : null);
        }

        return (Median(largeSamples), Median(smallSamples));
    }

    private static async Task SuggestRoundAsync(StudyHandle study, List<double>? samples)
    {
        var clock = Stopwatch.StartNew();
        var trial = (await study.SuggestAsync(1, "scale-bench"))[0];
        samples?.Add(clock.Elapsed.TotalMilliseconds);
        await trial.CompleteAsync(Measurement.Of("loss", trial.GetDouble("x") * trial.GetDouble("x")));
    }

    private static double Median(List<double> samples) => Percentiles.Of(samples).P50;

    private static TrialRequest Completed(int i)
    {
        var random = new Random(i);
        double x = random.NextDouble() * 10 - 5, y = random.NextDouble() * 10 - 5;
        var loss = x * x + y * y;
        ImmutableList<Measurement> curve = [.. Enumerable.Range(1, Measurements).Select(s => Measurement.Of("loss", loss + (Measurements - s), steps: s * 100, elapsedSeconds: s * 1.5))];
        return new TrialRequest
        {
            Parameters = ImmutableDictionary<string, ParameterValue>.Empty.Add("x", x).Add("y", y),
            Measurements = curve,
            FinalMeasurement = curve[^1],
        };
    }
}
