using VizierOrleans.Bbob;

namespace VizierOrleans.Tests.Algorithms;

public sealed class BbobFunctionTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Optima_are_where_the_definitions_put_them(int d)
    {
        var f = new BbobFunctions(d);
        foreach (var name in new[] { "Sphere", "Ellipsoidal", "Rastrigin", "BuecheRastrigin", "StepEllipsoidal", "Discus", "BentCigar", "SharpRidge", "DifferentPowers", "SchaffersF7", "Katsuura" })
        {
            Assert.Equal(0, f.Evaluate(name, new double[d]), 6);
            Assert.True(f.Evaluate(name, [.. Enumerable.Repeat(1.3, d)]) > 0, name);
        }

        Assert.Equal(0, f.Evaluate("LinearSlope", [.. Enumerable.Repeat(5.0, d)]), 6);
        Assert.Equal(0, f.Evaluate("AttractiveSector", [.. Enumerable.Range(0, d).Select(i => i % 2 == 0 ? 1.0 : -1.0)]), 6);
        Assert.Equal(0, f.Evaluate("RosenbrockRotated", [.. Enumerable.Repeat(0.5 / Math.Max(1, Math.Sqrt(d) / 8), d)]), 6);
        Assert.Equal(0, f.Evaluate("Lunacek", [.. Enumerable.Repeat(1.25, d)]), 6);
        Assert.Equal(0, f.Evaluate("Weierstrass", new double[d]), 6);
        Assert.InRange(f.Evaluate("Schwefel", [.. Enumerable.Range(0, d).Select(i => (i % 2 == 0 ? -1 : 1) * 2.10484373165)]), -0.5, 0.5);
    }

    [Fact]
    public void Shifted_problem_moves_the_optimum_and_rotations_are_orthogonal()
    {
        var problem = new BbobProblem("Sphere", 3, seed: 4);
        Assert.Equal(0, problem.Evaluate(problem.Shift), 9);
        Assert.True(problem.Evaluate([0, 0, 0]) > 0);
        Assert.All(problem.Shift, s => Assert.InRange(s, -2, 2));

        var rotated = new BbobProblem("Sphere", 3, seed: 4, shifted: false, rotated: true);
        Assert.Equal(new BbobFunctions(3).Evaluate("Sphere", [1, 2, 3]), rotated.Evaluate([1, 2, 3]), 9);
    }
}
