using System.Collections.Immutable;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms.Evolution;

/// <summary>
/// CMA-ES (Hansen's standard settings) in the normalized [0, 1] space of DOUBLE, INTEGER and DISCRETE parameters.
/// The distribution (mean, step size, covariance, evolution paths) and the ids of the current generation live in
/// study metadata, so the algorithm stays stateless between calls; a generation is told once lambda of its trials
/// have completed, and workers asking for more meanwhile get further samples of the same distribution.
/// </summary>
internal sealed class CmaEs : ISuggestionAlgorithm, ISearchSpaceRequirement
{
    /// <summary>The metadata namespace of the algorithm's state.</summary>
    public const string Namespace = "cma_es";

    private const string StateKey = "state";

    /// <inheritdoc />
    public void Check(StudyConfig config)
    {
        foreach (var p in SearchSpace.Flatten(config.Parameters))
        {
            if (p.Type == ParameterType.Categorical)
            {
                throw new InvalidStudyConfigException("algorithm", $"CMA_ES searches continuous spaces; parameter '{p.Name}' is CATEGORICAL (use GAUSSIAN_PROCESS_BANDIT or EAGLE_STRATEGY).");
            }

            if (!p.Children.IsEmpty)
            {
                throw new InvalidStudyConfigException("algorithm", $"CMA_ES needs a flat search space; parameter '{p.Name}' has conditional children.");
            }
        }
    }

    /// <inheritdoc />
    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        Check(context.Config);
        var parameters = context.Config.Parameters;
        var n = parameters.Count;
        var random = context.CreateRandom(Namespace);
        var state = context.StudyMetadata.Get(Namespace, StateKey) is { } json ? JsonSerializer.Deserialize<State>(json)! : State.Initial(n);

        // Tell: the current generation is complete enough.
        var lambda = 4 + (int)Math.Floor(3 * Math.Log(n));
        var byId = context.Trials.ToDictionary(t => t.Id);
        var done = state.Generation.Where(id => byId.TryGetValue(id, out var t) && t.State.IsCompleted()).Select(id => byId[id]).ToList();
        if (done.Count >= lambda)
        {
            var scored = Population.Completed(context.Config, done);
            var fitness = Population.Fitness(scored);
            var ranked = Enumerable.Range(0, scored.Count).OrderByDescending(i => fitness[i])
                .Select(i => parameters.Select(p => ParameterScaler.ToUnit(p, scored[i].Trial.Parameters[p.Name])).ToArray()).ToList();
            state = Update(state, ranked, lambda);
        }

        // Ask.
        var c = Matrix<double>.Build.DenseOfRowArrays(state.C);
        var evd = c.Evd(Symmetricity.Symmetric);
        var scale = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(evd.EigenValues.Real().Map(v => Math.Sqrt(Math.Max(v, 1e-20))));
        var mean = Vector<double>.Build.Dense(state.Mean);
        var suggestions = new List<ImmutableDictionary<string, ParameterValue>>();
        var generation = state.Generation.ToList();
        for (var k = 0; k < context.Count; k++)
        {
            Vector<double> x = mean;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                x = mean + (state.Sigma * (scale * Vector<double>.Build.Dense(n, _ => Normal.Sample(random, 0, 1))));
                if (x.All(v => v is >= 0 and <= 1))
                {
                    break;
                }
            }

            var point = x.Map(v => Math.Clamp(v, 0, 1));
            suggestions.Add(AssignmentBuilder.Build(parameters, p => ParameterScaler.FromUnit(p, point[parameters.IndexOf(p)])));
            generation.Add(context.NextTrialId + k);
        }

        state = state with { Generation = [.. generation] };
        return new SuggestionOutcome
        {
            Suggestions = suggestions,
            MetadataUpdates = [new MetadataItem(Namespace, StateKey, JsonSerializer.Serialize(state))],
        };
    }

    private static State Update(State s, List<double[]> ranked, int lambda)
    {
        var n = s.Mean.Length;
        var mu = lambda / 2;
        var raw = Enumerable.Range(1, mu).Select(i => Math.Log((lambda + 1) / 2.0) - Math.Log(i)).ToArray();
        var weights = raw.Select(w => w / raw.Sum()).ToArray();
        var muEff = 1 / weights.Sum(w => w * w);
        var cs = (muEff + 2) / (n + muEff + 5);
        var ds = 1 + (2 * Math.Max(0, Math.Sqrt((muEff - 1) / (n + 1)) - 1)) + cs;
        var cc = (4 + (muEff / n)) / (n + 4 + (2 * muEff / n));
        var c1 = 2 / (Math.Pow(n + 1.3, 2) + muEff);
        var cmu = Math.Min(1 - c1, 2 * (muEff - 2 + (1 / muEff)) / (Math.Pow(n + 2, 2) + muEff));
        var chiN = Math.Sqrt(n) * (1 - (1.0 / (4 * n)) + (1.0 / (21 * n * n)));

        var oldMean = Vector<double>.Build.Dense(s.Mean);
        var best = ranked.Take(mu).Select(x => Vector<double>.Build.Dense(x)).ToList();
        var mean = best.Select((x, i) => x * weights[i]).Aggregate((a, b) => a + b);
        var yw = (mean - oldMean) / s.Sigma;
        var c = Matrix<double>.Build.DenseOfRowArrays(s.C);
        var evd = c.Evd(Symmetricity.Symmetric);
        var invSqrt = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(evd.EigenValues.Real().Map(v => 1 / Math.Sqrt(Math.Max(v, 1e-20)))) * evd.EigenVectors.Transpose();
        var ps = (Vector<double>.Build.Dense(s.Ps) * (1 - cs)) + (invSqrt * yw * Math.Sqrt(cs * (2 - cs) * muEff));
        var generations = s.Generations + 1;
        var hs = ps.L2Norm() / Math.Sqrt(1 - Math.Pow(1 - cs, 2 * generations)) < (1.4 + (2.0 / (n + 1))) * chiN ? 1.0 : 0.0;
        var pc = (Vector<double>.Build.Dense(s.Pc) * (1 - cc)) + (yw * (hs * Math.Sqrt(cc * (2 - cc) * muEff)));
        var rankMu = best.Select((x, i) =>
        {
            var y = (x - oldMean) / s.Sigma;
            return y.OuterProduct(y) * weights[i];
        }).Aggregate((a, b) => a + b);
        var newC = (c * (1 - c1 - cmu)) + ((pc.OuterProduct(pc) + (c * ((1 - hs) * cc * (2 - cc)))) * c1) + (rankMu * cmu);
        newC = (newC + newC.Transpose()) / 2;
        var sigma = Math.Clamp(s.Sigma * Math.Exp(cs / ds * ((ps.L2Norm() / chiN) - 1)), 1e-8, 1.0);
        return new State(mean.ToArray(), sigma, newC.ToRowArrays(), ps.ToArray(), pc.ToArray(), generations, []);
    }

    /// <summary>The stored distribution.</summary>
    internal sealed record State(double[] Mean, double Sigma, double[][] C, double[] Ps, double[] Pc, int Generations, long[] Generation)
    {
        public static State Initial(int n) => new(
            [.. Enumerable.Repeat(0.5, n)], 0.3, Matrix<double>.Build.DenseIdentity(n).ToRowArrays(), new double[n], new double[n], 0, []);
    }
}
