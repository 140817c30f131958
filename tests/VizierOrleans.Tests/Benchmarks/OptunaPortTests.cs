using System.Collections.Immutable;
using VizierOrleans.Bbob;
using VizierOrleans.Bbob.Problems;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Benchmarks;

/// <summary>The Python ports the Optuna peers run on are the C# problems: the same values on shared test vectors.</summary>
public sealed class OptunaPortTests
{
    [Fact]
    public void Python_ports_evaluate_every_problem_to_the_csharp_values_within_1e_9_relative()
    {
        var problems = new List<IBenchmarkProblem>();
        foreach (var name in BbobFunctions.Names)
        {
            foreach (var d in new[] { 2, 5, 16 })
            {
                problems.Add(new BbobProblem(name, d, seed: 3));
                problems.Add(new BbobProblem(name, d, seed: 4, shifted: true, rotated: true));
            }
        }

        problems.AddRange([new MixedSpaceProblem("Rastrigin", 8, 2), new MixedSpaceProblem("Weierstrass", 4, 7), new ConditionalProblem("Sphere", "Lunacek", 4, 1)]);
        problems.AddRange(MultiObjectiveProblem.Names.Select(MultiObjectiveProblem.Create));

        // Uniform points of each space (conditional children only under their branch), plus two that leave [-5, 5]
        // on purpose for the BBOB penalty terms.
        var random = new Random(11);
        var cases = problems.Select(p =>
        {
            IReadOnlyList<IReadOnlyDictionary<string, ParameterValue>> points =
            [
                .. Enumerable.Range(0, 12).Select(_ => AssignmentBuilder.Sample(p.Parameters, random)),
                .. p is BbobProblem b ? new[] { 5.7, -6.2 }.Select(v => Enumerable.Range(0, b.D).ToImmutableDictionary(i => $"x{i}", _ => ParameterValue.Of(v))) : [],
            ];
            return (p, points);
        }).ToList();

        var python = OptunaPeers.Evaluate(cases);
        var compared = 0;
        for (var k = 0; k < cases.Count; k++)
        {
            var (problem, points) = cases[k];
            for (var i = 0; i < points.Count; i++)
            {
                var expected = problem.Evaluate(points[i]);
                Assert.Equal(expected.Length, python[k][i].Length);
                for (var m = 0; m < expected.Length; m++)
                {
                    var tolerance = 1e-9 * Math.Max(Math.Abs(expected[m]), 1e-12);
                    Assert.True(Math.Abs(expected[m] - python[k][i][m]) <= tolerance,
                        $"{problem.Name} ({problem.Parameters.Count} parameters) objective {m} at point {i}: C# {expected[m]:R}, Python {python[k][i][m]:R}");
                    compared++;
                }
            }
        }

        Assert.True(compared > 1500, $"{compared} values compared");
    }
}
