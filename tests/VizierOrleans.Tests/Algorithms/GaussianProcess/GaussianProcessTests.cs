using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using VizierOrleans.Bbob;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Algorithms.GaussianProcess;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Algorithms.GaussianProcess;

public sealed class GaussianProcessTests
{
    private static (List<Point> Points, Vector<double> Labels) Data(int n, int continuous, int categorical, int seed)
    {
        var random = new Random(seed);
        var points = Enumerable.Range(0, n).Select(_ => new Point(
            [.. Enumerable.Range(0, continuous).Select(_ => random.NextDouble())],
            [.. Enumerable.Range(0, categorical).Select(_ => random.Next(3))])).ToList();
        var labels = Vector<double>.Build.Dense(n, i => Math.Sin(4 * points[i].Coordinates[0]) + points[i].Categories.Sum() * 0.3 + (0.01 * i % 3));
        return (points, labels);
    }

    [Fact]
    public void Likelihood_gradient_matches_finite_differences()
    {
        var kernel = new Matern52Kernel(3, 2);
        var (points, labels) = Data(25, 3, 2, seed: 5);
        double[] theta = [0.3, -0.9, -0.2, 0.4, -1.0, 0.5, Math.Log(0.01)];
        var (value, gradient) = HyperparameterFitter.NegativeLogPosterior(kernel, theta, points, labels);
        Assert.True(double.IsFinite(value));
        for (var p = 0; p < theta.Length; p++)
        {
            const double h = 1e-5;
            var up = (double[])theta.Clone();
            var down = (double[])theta.Clone();
            up[p] += h;
            down[p] -= h;
            var numeric = (HyperparameterFitter.NegativeLogPosterior(kernel, up, points, labels).Value
                - HyperparameterFitter.NegativeLogPosterior(kernel, down, points, labels).Value) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[p]) <= 1e-4 * Math.Max(1, Math.Abs(numeric)), $"parameter {p}: analytic {gradient[p]}, numeric {numeric}");
        }
    }

    [Fact]
    public void Fitting_improves_the_likelihood_over_the_default()
    {
        var kernel = new Matern52Kernel(2, 1);
        var (points, labels) = Data(40, 2, 1, seed: 9);
        var fitted = HyperparameterFitter.Fit(kernel, points, labels, new Random(1));
        var before = HyperparameterFitter.NegativeLogPosterior(kernel, HyperparameterFitter.Default(kernel), points, labels).Value;
        var after = HyperparameterFitter.NegativeLogPosterior(kernel, fitted, points, labels).Value;
        Assert.True(after < before - 1, $"before {before}, after {after}");
        var (lower, upper) = HyperparameterFitter.Bounds(kernel);
        Assert.All(Enumerable.Range(0, fitted.Length), i => Assert.InRange(fitted[i], lower[i] - 1e-9, upper[i] + 1e-9));
    }

    [Fact]
    public void Posterior_interpolates_observations_and_is_uncertain_far_away()
    {
        var kernel = new Matern52Kernel(1, 0);
        var points = new List<Point> { new([0.1], []), new([0.5], []), new([0.9], []) };
        var labels = Vector<double>.Build.Dense([1.0, -1.0, 0.5]);
        var model = GaussianProcessModel.Fit(kernel, [0, Math.Log(0.2), Math.Log(1e-6)], points, labels);
        var (mean, sd) = model.Predict(new Point([0.5], []));
        Assert.Equal(-1.0, mean, 3);
        Assert.True(sd < 0.01);
        Assert.True(model.Predict(new Point([0.3], [])).StdDev > 0.1);
    }

    [Fact]
    public void Warping_keeps_order_and_resists_outliers()
    {
        double[] values = [1, 2, 3, 4, 1e9];
        var warped = LabelWarper.Warp(values);
        Assert.Equal(Enumerable.Range(0, 5), warped.Select((w, i) => (w, i)).OrderBy(x => x.w).Select(x => x.i));
        Assert.Equal(0, warped.Average(), 9);
        Assert.Equal(1, Math.Sqrt(warped.Select(w => w * w).Average()), 9);
        var withoutOutlier = LabelWarper.Warp([1, 2, 3, 4, 5]);
        Assert.Equal(withoutOutlier, warped);
        var ties = LabelWarper.Warp([2, 2, 1]);
        Assert.Equal(ties[0], ties[1]);
        Assert.True(ties[2] < ties[0]);

        // Ranks 1, 2.5, 2.5, 4 of 4 give the normal quantiles of 1/8, 1/2, 1/2, 7/8: -q, 0, 0, q, whose population
        // standard deviation is q / sqrt(2).
        var exact = LabelWarper.Warp([2, 2, 1, 5]);
        double[] expected = [0, 0, -Math.Sqrt(2), Math.Sqrt(2)];
        Assert.Equal(expected.Length, exact.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], exact[i], 12);
        }
    }

    private static List<Trial> Completed(StudyConfig config, int n, int seed, Func<IReadOnlyDictionary<string, ParameterValue>, double> objective)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(1, n).Select(i =>
        {
            var p = AssignmentBuilder.Sample(config.Parameters, random);
            var metric = config.Metrics[0];
            return new Trial
            {
                StudyName = "owners/t/studies/gp",
                Id = i,
                Parameters = p,
                State = TrialState.Succeeded,
                FinalMeasurement = Measurement.Of(metric.Name, objective(p)),
            };
        })];
    }

    [Fact]
    public void Suggestions_fit_a_mixed_conditional_space()
    {
        var config = TestConfigs.Mixed(AlgorithmNames.GaussianProcessBandit);
        var trials = Completed(config, 12, 3, p => p["lr"].AsDouble() * 10 + (p["model"].Text == "tree" ? 1 : 0));
        trials.Add(trials[0] with { Id = 13, State = TrialState.Infeasible, FinalMeasurement = null, InfeasibleReason = "oom" });
        var outcome = new GaussianProcessBandit().Suggest(new SuggestionContext { Config = config, Trials = trials, Count = 4, NextTrialId = 14, Seed = 1 });
        Assert.Equal(4, outcome.Suggestions.Count);
        foreach (var s in outcome.Suggestions)
        {
            SearchSpace.Validate(config, s, "gp");
        }
    }

    [Fact]
    public void First_suggestion_is_the_centre_or_the_defaults()
    {
        var config = TestConfigs.TwoFloats(AlgorithmNames.GaussianProcessBandit) with
        {
            Parameters = [ParameterConfig.Double("x", -5, 5), ParameterConfig.Double("y", 0, 10) with { Default = 7.5 }, ParameterConfig.Categorical("c", "a", "b") with { Default = "b" }],
        };
        var first = new GaussianProcessBandit().Suggest(new SuggestionContext { Config = config, Count = 1, Seed = 4 }).Suggestions.Single();
        Assert.Equal(0, first["x"].AsDouble(), 9);
        Assert.Equal(7.5, first["y"].AsDouble(), 9);
        Assert.Equal("b", first["c"].Text);
    }

    [Fact]
    public void Before_any_result_a_batch_starts_at_the_centre_and_spreads_inside_the_first_trust_region()
    {
        // Eight workers asking at once: the centre, then distinct points within 0.2 of the unit cube around it ([-2, 2] here).
        var config = TestConfigs.TwoFloats(AlgorithmNames.GaussianProcessBandit);
        var batch = new GaussianProcessBandit().Suggest(new SuggestionContext { Config = config, Count = 8, Seed = 5 }).Suggestions;
        Assert.Equal((0.0, 0.0), (batch[0]["x"].AsDouble(), batch[0]["y"].AsDouble()));
        Assert.All(batch, p =>
        {
            Assert.InRange(p["x"].AsDouble(), -2, 2);
            Assert.InRange(p["y"].AsDouble(), -2, 2);
        });
        Assert.Equal(8, batch.Select(p => (p["x"].AsDouble(), p["y"].AsDouble())).Distinct().Count());
    }

    [Fact]
    public void Batch_points_differ_meaningfully_and_avoid_pending_ones()
    {
        var config = TestConfigs.TwoFloats(AlgorithmNames.GaussianProcessBandit);
        var trials = Completed(config, 15, 8, p => Math.Pow(p["x"].AsDouble() - 1, 2) + Math.Pow(p["y"].AsDouble() + 2, 2));
        var pending = new Trial { StudyName = "owners/t/studies/gp", Id = 16, State = TrialState.Active, Parameters = ImmutableDictionary<string, ParameterValue>.Empty.Add("x", 1.0).Add("y", -2.0) };
        trials.Add(pending);
        var batch = new GaussianProcessBandit().Suggest(new SuggestionContext { Config = config, Trials = trials, Count = 5, NextTrialId = 17, Seed = 2 }).Suggestions;
        var points = batch.Append(pending.Parameters).Select(p => (X: p["x"].AsDouble(), Y: p["y"].AsDouble())).ToList();
        for (var i = 0; i < points.Count; i++)
        {
            for (var j = i + 1; j < points.Count; j++)
            {
                var distance = Math.Max(Math.Abs(points[i].X - points[j].X), Math.Abs(points[i].Y - points[j].Y));
                Assert.True(distance > 0.1, $"points {i} and {j} are {distance} apart: {points[i]} {points[j]}");
            }
        }
    }

    [Fact]
    public void Same_seed_same_suggestions()
    {
        var config = TestConfigs.Mixed(AlgorithmNames.GaussianProcessBandit);
        var trials = Completed(config, 10, 4, p => p["lr"].AsDouble());
        SuggestionContext Context(long seed) => new() { Config = config, Trials = trials, Count = 3, NextTrialId = 11, Seed = seed };
        var a = new GaussianProcessBandit().Suggest(Context(5)).Suggestions;
        var b = new GaussianProcessBandit().Suggest(Context(5)).Suggestions;
        var c = new GaussianProcessBandit().Suggest(Context(6)).Suggestions;
        Assert.Equal(a.Select(Format), b.Select(Format));
        Assert.NotEqual(a.Select(Format), c.Select(Format));
    }

    [Fact]
    public void Likelihood_and_gradient_stay_bit_identical()
    {
        // Exact doubles of the objective the hyperparameter fit minimizes, on a model of the capped size (192 points,
        // D = 16), a mixed one, and an ill-conditioned one (longest length scales, least noise): a faster
        // factorization must reproduce them bit for bit, or the optimizer's path (and every seeded suggestion) changes.
        var cases = new (int N, int Continuous, int Categorical, double[] Theta)[]
        {
            (192, 16, 0, [0.2, .. Enumerable.Range(0, 16).Select(d => -1.5 + (0.1 * d)), Math.Log(1e-3)]),
            (60, 3, 2, [0.3, -0.9, -0.2, 0.4, -1.0, 0.5, Math.Log(0.01)]),
            (150, 2, 0, [Math.Log(20), Math.Log(10), Math.Log(10), Math.Log(1e-6)]),
        };
        var actual = new List<string>();
        foreach (var (n, continuous, categorical, theta) in cases)
        {
            var (points, labels) = Data(n, continuous, categorical, seed: n);
            var (value, gradient) = HyperparameterFitter.NegativeLogPosterior(new Matern52Kernel(continuous, categorical), theta, points, labels);
            actual.Add(string.Join(",", gradient.Prepend(value).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        }

        string[] expected =
        [
            "287.3734223493043,2.697687242352484,-14.302952140544276,-25.00998079605205,-24.595979859012946,-20.8973347072118,-21.134925963202523,-18.537298641991676,-14.768580314251519,-11.920192143130175,-11.908784791080427,-9.716700693272188,-7.461491640841006,-6.975265745415584,-6.434873448688384,-4.568438474633343,-4.337036296542624,-3.124345355842178,0.033920824641350864",
            "38.05513103507919,16.965644394556946,-12.471609171067936,-11.139979738455605,-6.558247140095299,5.589897222291609,3.955524527882897,0.6301285733481018",
            "11508159.066781413,-634929.36328125,819234.0265293827,2324697.2883382402,-10873999.1813896",
        ];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Seeded_suggestions_and_fitted_hyperparameters_stay_bit_identical_below_and_past_the_model_cap()
    {
        // Pins exact doubles so that a speed change to the likelihood, the factorization or the acquisition search
        // cannot silently change what a seeded study suggests (the published quality tables depend on it). 30
        // trials: default start plus a random restart; 230: past the 200-point cap, one start, then warm-started.
        var config = TestConfigs.Mixed(AlgorithmNames.GaussianProcessBandit);
        var actual = new List<string>();
        foreach (var n in new[] { 30, 230 })
        {
            var trials = Completed(config, n, 21, p => -Math.Pow(Math.Log10(p["lr"].AsDouble()) + 2.5, 2) - (10 * Math.Pow(p["momentum"].AsDouble() - 0.8, 2)) + (p["model"].Text == "net" ? 0.5 : 0));
            var metadata = Metadata.Empty;
            for (var call = 0; call < 2; call++)
            {
                var outcome = new GaussianProcessBandit().Suggest(new SuggestionContext { Config = config, Trials = trials, Count = call + 1, NextTrialId = n + 1, Seed = 3 + call, StudyMetadata = metadata });
                metadata = metadata.With(outcome.MetadataUpdates);
                actual.Add($"{n}/{call}: {metadata.Get(GaussianProcessBandit.MetadataNamespace, "log_hyperparameters")}");
                actual.AddRange(outcome.Suggestions.Select(s => $"{n}/{call}: {Format(s)}"));
            }
        }

        string[] expected =
        [
            "30/0: 0.3713323757251786,-0.8257154985268106,-0.08362443346747517,1.5857291429033453,1.748770220675357,1.369288733418061,1.0767491962919475,1.4390647577060827,-2.2241777613381006,-4.605170185988091,-13.815510557964274",
            "30/0: batch=16 dropout=0 layers=1 lr=0.002669115243402394 model=net momentum=0.8281299348453731 units=19",
            "30/1: 0.3713323757251786,-0.8257154985268106,-0.08362443346747517,1.5857291429033453,1.748770220675357,1.369288733418061,1.0767491962919475,1.4390647577060827,-2.2241777613381006,-4.605170185988091,-13.815510557964274",
            "30/1: batch=16 dropout=0 layers=1 lr=0.0028503054629217634 model=net momentum=0.8198148640964444 units=19",
            "30/1: batch=16 dropout=0 layers=2 lr=0.002817165174270966 model=net momentum=0.8082521270950456 units=27",
            "230/0: 0,-0.7,-0.7,-0.7,-0.7,-0.7,-0.7,-0.7,0,0,-6.907755278982137",
            "230/0: batch=64 dropout=0 layers=2 lr=0.0018441906816452339 model=net momentum=0.7746631315051447 units=49",
            "230/1: 0,-0.7,-0.7,-0.7,-0.7,-0.7,-0.7,-0.7,0,0,-6.907755278982137",
            "230/1: batch=64 dropout=0 layers=3 lr=0.0022477167153387326 model=net momentum=0.779288736193811 units=33",
            "230/1: batch=64 dropout=0 layers=2 lr=0.0023723108235743752 model=net momentum=0.7812032189629902 units=47",
        ];
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("Sphere")]
    [InlineData("RosenbrockRotated")]
    public void Beats_random_search_on_shifted_bbob(string function)
    {
        const int d = 4, trials = 40;
        var gp = new List<double>();
        var random = new List<double>();
        for (var seed = 1; seed <= 3; seed++)
        {
            var problem = new BbobProblem(function, d, seed);
            gp.Add(AlgorithmRunner.Run(new GaussianProcessBandit(), problem, trials, seed)[^1]);
            random.Add(AlgorithmRunner.Run(new RandomSearch(), problem, trials, seed)[^1]);
        }

        Assert.True(Median(gp) < Median(random), $"GP median gap {Median(gp)}, random {Median(random)}");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Format(ImmutableDictionary<string, ParameterValue> p) =>
        string.Join(" ", p.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value.AsString()}"));
}
