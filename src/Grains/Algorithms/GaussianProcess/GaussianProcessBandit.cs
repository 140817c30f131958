using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.GaussianProcess;

/// <summary>
/// The default algorithm, as OSS Vizier's GP bandit does it: a Matern-5/2 GP (length scale per continuous dimension,
/// mismatch term per categorical parameter) on rank-warped labels, hyperparameters by maximum marginal likelihood,
/// and UCB maximized inside a trust region around the observed points that widens as trials accumulate. Pending
/// trials and earlier points of the same batch enter as fantasies (the posterior mean), which shrinks the
/// uncertainty around them, so a batch spreads out; with trials in flight, UCB exploits more. Until two results
/// exist, points come from the first trust region around the centre. Several objectives: a random weighting per call.
/// Conditional spaces work: an inactive parameter is a value of its own.
/// </summary>
/// <param name="maxModelPoints">Past this many completed trials the model uses the best half and the most recent half.</param>
internal sealed class GaussianProcessBandit(int maxModelPoints = GaussianProcessBandit.MaxModelPoints) : ISuggestionAlgorithm
{
    /// <summary>The study metadata namespace of this algorithm.</summary>
    public const string MetadataNamespace = "gp_bandit";

    private const string ThetaKey = "log_hyperparameters";

    /// <summary>UCB exploration coefficient.</summary>
    public const double UcbCoefficient = 1.8;

    /// <summary>
    /// UCB coefficient while other trials are in flight. Those trials already explore (their fantasies shrink the
    /// uncertainty around them and new points keep away), so the new point leans towards exploitation; with eight
    /// workers this raised the BBOB log-efficiency from 0.69 to about 0.8 (tests/VizierOrleans.Benchmarks/README.md).
    /// </summary>
    public const double PendingUcbCoefficient = 1.0;

    /// <summary>The default model size: past this many completed trials the model uses the best and the most recent ones.</summary>
    public const int MaxModelPoints = 200;

    /// <summary>The smallest L-infinity distance (in the unit cube) between a new point and a pending one.</summary>
    private const double MinPendingDistance = 0.05;

    private const int UniformCandidates = 2500;
    private const int LocalCandidates = 2500;
    private const int RefinedCandidates = 8;
    private const int RefinementSteps = 40;

    /// <inheritdoc />
    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        var random = context.CreateRandom("gp_bandit");
        var encoder = new SpaceEncoder(context.Config);
        var (points, values) = Observations(context, encoder, random);
        var pending = context.Trials.Where(t => !t.State.IsCompleted()).Select(t => encoder.Encode(t.Parameters)).ToList();
        var suggestions = new List<ImmutableDictionary<string, ParameterValue>>();
        var seen = new HashSet<string>(context.Trials.Select(t => Key(t.Parameters)));

        if (points.Count < 2)
        {
            // Not enough to model: the centre (or defaults) first, then seeded points in the first trust region around
            // it, the region the model would search next. With several workers this is the whole first batch.
            var centre = encoder.Centre();
            var radius0 = TrustRadius(0, encoder);
            for (var i = 0; i < context.Count; i++)
            {
                var first = context.Trials.Count == 0 && i == 0;
                suggestions.Add(Unique(encoder, first ? centre : SampleAround(centre, radius0, encoder, random), seen, random));
            }

            return new SuggestionOutcome { Suggestions = suggestions };
        }

        var kernel = new Matern52Kernel(encoder.Continuous.Length, encoder.Categorical.Length);
        var labels = Vector<double>.Build.Dense([.. values]);
        var previous = context.StudyMetadata.Get(MetadataNamespace, ThetaKey)?.Split(',')
            .Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var theta = HyperparameterFitter.Fit(kernel, points, labels, random, previous);
        context.CancellationToken.ThrowIfCancellationRequested();
        var model = GaussianProcessModel.Fit(kernel, theta, points, labels);

        // Fantasies: pending points take the posterior mean, which keeps the mean and removes their uncertainty.
        var fantasyPoints = points.ToList();
        var fantasyLabels = values.ToList();
        var radius = TrustRadius(points.Count, encoder);
        for (var i = 0; i < context.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            foreach (var p in pending)
            {
                fantasyPoints.Add(p);
                fantasyLabels.Add(model.Predict(p).Mean);
            }

            pending.Clear();
            var fantasy = fantasyPoints.Count == points.Count
                ? model
                : GaussianProcessModel.Fit(kernel, theta, fantasyPoints, Vector<double>.Build.Dense([.. fantasyLabels]));
            var best = Maximize(fantasy, encoder, fantasyPoints, points, values, radius, random, fantasyPoints.Skip(points.Count).ToList());
            var suggestion = Unique(encoder, best, seen, random);
            suggestions.Add(suggestion);
            pending.Add(encoder.Encode(suggestion));
        }

        return new SuggestionOutcome
        {
            Suggestions = suggestions,

            // The next call starts the hyperparameter search where this one ended.
            MetadataUpdates = [new MetadataItem(MetadataNamespace, ThetaKey, string.Join(',', theta.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))))],
        };
    }

    /// <summary>The trust region's L-infinity radius around observed points: small at first, the whole space later.</summary>
    internal static double TrustRadius(int observed, SpaceEncoder encoder)
    {
        var dimensions = Math.Max(1, encoder.Continuous.Length + encoder.Categorical.Length);
        return Math.Min(1.0, 0.2 + (0.8 * observed / (10.0 * dimensions)));
    }

    private (List<Point> Points, List<double> Labels) Observations(SuggestionContext context, SpaceEncoder encoder, Random random)
    {
        var config = context.Config;
        var objectives = config.Objectives.ToList();
        var feasible = context.Trials.Where(t => Objectives.HasAllMetrics(config, t) && Objectives.IsSafe(config, t)).ToList();
        var failed = context.Trials.Where(t => t.State == TrialState.Infeasible || (t.State == TrialState.Succeeded && !Objectives.IsSafe(config, t))).ToList();
        if (feasible.Count == 0)
        {
            return ([], []);
        }

        // One objective: its oriented value. Several: a random positive weighting of their rank-warped values.
        double[] scalar;
        if (objectives.Count == 1)
        {
            scalar = [.. feasible.Select(t => Objectives.Oriented(objectives[0], t.FinalMeasurement!.Metrics[objectives[0].Name]))];
        }
        else
        {
            var weights = objectives.Select(_ => Math.Abs(Normal.Sample(random, 0, 1)) + 1e-3).ToArray();
            var warped = objectives.Select(o => LabelWarper.Warp([.. feasible.Select(t => Objectives.Oriented(o, t.FinalMeasurement!.Metrics[o.Name]))])).ToArray();
            scalar = [.. feasible.Select((_, i) => objectives.Select((_, k) => weights[k] * warped[k][i]).Sum())];
        }

        // Keep the model small: the best half and the most recent half of the budget.
        var chosen = Enumerable.Range(0, feasible.Count).ToList();
        if (chosen.Count > maxModelPoints)
        {
            var best = chosen.OrderByDescending(i => scalar[i]).Take(maxModelPoints / 2);
            var recent = chosen.OrderByDescending(i => feasible[i].Id).Take(maxModelPoints / 2);
            chosen = [.. best.Union(recent).Take(maxModelPoints)];
        }

        var labels = LabelWarper.Warp([.. chosen.Select(i => scalar[i])]).ToList();
        var points = chosen.Select(i => encoder.Encode(feasible[i].Parameters)).ToList();

        // Infeasible and unsafe trials sit below the worst feasible one, so the search moves away from them.
        var floor = labels.Min() - 1.0;
        foreach (var t in failed.TakeLast(maxModelPoints / 4))
        {
            points.Add(encoder.Encode(t.Parameters));
            labels.Add(floor);
        }

        return (points, labels);
    }

    private static Point Maximize(
        GaussianProcessModel model, SpaceEncoder encoder, List<Point> anchors, List<Point> observed, List<double> values, double radius, Random random, List<Point> pending)
    {
        // Besides the fantasies' shrunken uncertainty, a point must keep a minimum distance from the trials in flight,
        // so that workers never evaluate near-duplicates.
        var coefficient = pending.Count > 0 ? PendingUcbCoefficient : UcbCoefficient;
        double Ucb(Point p)
        {
            if (pending.Any(q => q.Distance(p) < MinPendingDistance))
            {
                return double.NegativeInfinity;
            }

            var (mean, sd) = model.Predict(p);
            return mean + (coefficient * sd);
        }

        var candidates = new List<Point>(UniformCandidates + LocalCandidates);
        for (var i = 0; candidates.Count < UniformCandidates && i < UniformCandidates * 4; i++)
        {
            var p = encoder.Sample(random);
            if (radius >= 1 || anchors.Any(a => Within(a, p, radius)))
            {
                candidates.Add(p);
            }
        }

        var ranked = Enumerable.Range(0, observed.Count).OrderByDescending(i => values[i]).Select(i => observed[i]).ToList();
        var elite = ranked.Take(Math.Max(1, ranked.Count / 5)).ToList();
        for (var i = 0; i < LocalCandidates; i++)
        {
            var centre = random.NextDouble() < 0.7 ? elite[random.Next(elite.Count)] : anchors[random.Next(anchors.Count)];
            candidates.Add(Perturb(centre, encoder, radius / 3, random));
        }

        // The candidates are scored in one batch: the same doubles as Ucb, several per vector and in parallel.
        var scores = new double[candidates.Count];
        var open = new List<int>(candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (pending.Any(q => q.Distance(c) < MinPendingDistance))
            {
                scores[i] = double.NegativeInfinity;
            }
            else
            {
                open.Add(i);
            }
        }

        var means = new double[open.Count];
        var sds = new double[open.Count];
        model.Predict([.. open.Select(i => candidates[i])], means, sds);
        for (var o = 0; o < open.Count; o++)
        {
            scores[open[o]] = means[o] + (coefficient * sds[o]);
        }

        var scored = candidates.Select((c, i) => (Point: c, Score: scores[i])).OrderByDescending(c => c.Score).Take(RefinedCandidates).ToList();

        // Local refinement of the best few: random steps that shrink, accepted when UCB improves.
        var best = scored[0];
        foreach (var start in scored)
        {
            var current = start;
            var step = radius / 4;
            for (var s = 0; s < RefinementSteps; s++)
            {
                var next = Perturb(current.Point, encoder, step, random, categoryChange: 0.1);
                var score = Ucb(next);
                if (score > current.Score)
                {
                    current = (next, score);
                }
                else
                {
                    step *= 0.85;
                }
            }

            if (current.Score > best.Score)
            {
                best = current;
            }
        }

        return best.Point;
    }

    private static bool Within(Point anchor, Point p, double radius)
    {
        for (var d = 0; d < p.Coordinates.Length; d++)
        {
            if (Math.Abs(anchor.Coordinates[d] - p.Coordinates[d]) > radius)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A point uniform in the L-infinity ball of <paramref name="radius"/> around <paramref name="centre"/> (categories uniform).</summary>
    private static Point SampleAround(Point centre, double radius, SpaceEncoder encoder, Random random)
    {
        var sample = encoder.Sample(random);
        var x = centre.Coordinates.Select((v, d) => Math.Clamp(v + (radius * ((2 * sample.Coordinates[d]) - 1)), 0, 1)).ToArray();
        return new Point(x, sample.Categories);
    }

    private static Point Perturb(Point centre, SpaceEncoder encoder, double scale, Random random, double categoryChange = 0.2)
    {
        var x = centre.Coordinates.Select(v => Math.Clamp(v + (scale * Normal.Sample(random, 0, 1)), 0, 1)).ToArray();
        var c = centre.Categories.Select((v, i) => v < 0 || random.NextDouble() < categoryChange ? random.Next(encoder.Categorical[i].Categories.Count) : v).ToArray();
        return new Point(x, c);
    }

    /// <summary>Decodes a point; if that assignment exists already (common in discrete spaces), a nearby unseen one.</summary>
    private static ImmutableDictionary<string, ParameterValue> Unique(SpaceEncoder encoder, Point point, HashSet<string> seen, Random random)
    {
        var assignment = encoder.Decode(point);
        for (var attempt = 0; attempt < 50 && seen.Contains(Key(assignment)); attempt++)
        {
            assignment = encoder.Decode(Perturb(point, encoder, 0.05 * (attempt + 1), random, categoryChange: 0.05 * attempt));
        }

        seen.Add(Key(assignment));
        return assignment;
    }

    private static string Key(IReadOnlyDictionary<string, ParameterValue> parameters) =>
        string.Join('|', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Text ?? p.Value.Number?.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));
}
