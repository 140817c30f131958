using MathNet.Numerics.LinearAlgebra;
using VizierOrleans.Bbob;
using VizierOrleans.Bbob.Problems;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Benchmarks;

public sealed class BenchmarkProblemTests
{
    [Fact]
    public void Every_bbob_function_at_32_dimensions_has_its_optimum_at_the_shift_and_rotations_stay_orthogonal()
    {
        foreach (var name in BbobFunctions.Names.Except(["LinearSlope", "AttractiveSector", "RosenbrockRotated", "Lunacek", "Schwefel", "GriewankRosenbrock"]))
        {
            var problem = new BbobProblem(name, 32, seed: 3, shifted: true, rotated: true);
            Assert.Equal(0, problem.Evaluate(problem.Shift), 6);
            Assert.True(problem.Evaluate([.. problem.Shift.Select(s => s + 0.7)]) > 0, name);
        }

        var r = Matrix<double>.Build.DenseOfRowArrays(new BbobFunctions(32, 4).R);
        Assert.True((r * r.Transpose() - Matrix<double>.Build.DenseIdentity(32)).InfinityNorm() < 1e-12);
        Assert.NotEqual(new BbobFunctions(32, 4).R, new BbobFunctions(32, 0).R);
    }

    [Fact]
    public void Mixed_space_takes_turns_of_each_type_and_its_optimum_is_a_feasible_point()
    {
        var problem = new MixedSpaceProblem("Ellipsoidal", 8, seed: 5);
        Assert.Equal(
            [ParameterType.Double, ParameterType.Integer, ParameterType.Discrete, ParameterType.Categorical, ParameterType.Double, ParameterType.Integer, ParameterType.Discrete, ParameterType.Categorical],
            problem.Parameters.Select(p => p.Type));
        Assert.Equal(21, problem.Parameters[2].FeasibleValues.Count);
        Assert.Equal(11, problem.Parameters[3].Categories.Count);

        // The optimum: the inner shift, with categorical coordinates as the level that stands for the shifted value.
        var shift = problem.Inner.Shift;
        var optimum = problem.Parameters.Select((p, i) => (p.Name, p.Type == ParameterType.Categorical ? ParameterValue.Of(problem.Level(shift[i])) : ParameterValue.Of(shift[i])))
            .ToDictionary(p => p.Name, p => p.Item2);
        Assert.All(problem.Parameters, p => Assert.True(p.IsFeasible(optimum[p.Name]), p.Name));
        Assert.Equal(0, problem.Evaluate(optimum)[0], 9);
        Assert.Equal(shift[1], Math.Round(shift[1]));
        Assert.Equal(shift[2] * 2, Math.Round(shift[2] * 2));

        // Levels are a permutation of -5..5, so a categorical coordinate's order is not its value's.
        Assert.Equal(Enumerable.Range(-5, 11).Select(v => (double)v), Enumerable.Range(0, 11).Select(k => problem.LevelValue($"c{k}")).Order());
        Assert.NotEqual(Enumerable.Range(-5, 11).Select(v => (double)v), Enumerable.Range(0, 11).Select(k => problem.LevelValue($"c{k}")));
    }

    [Fact]
    public void Conditional_space_chooses_a_sub_problem_and_only_branch_a_reaches_zero()
    {
        var problem = new ConditionalProblem("Sphere", "Rastrigin", 3, seed: 2);
        var root = Assert.Single(problem.Parameters);
        Assert.Equal(["a", "b"], root.Categories);
        Assert.Equal(["a_x0", "a_x1", "a_x2", "b_x0", "b_x1", "b_x2"], root.Children.Select(c => c.Parameter.Name));
        Assert.Equal("a", root.Children[0].ParentValues.Single().Text);

        var a = new Dictionary<string, ParameterValue> { ["branch"] = "a" };
        var b = new Dictionary<string, ParameterValue> { ["branch"] = "b" };
        for (var i = 0; i < 3; i++)
        {
            a[$"a_x{i}"] = problem.A.Shift[i];
            b[$"b_x{i}"] = problem.B.Shift[i];
        }

        Assert.Equal(0, problem.Evaluate(a)[0], 9);
        Assert.Equal(1, problem.Evaluate(b)[0], 9);
        Assert.NotEqual(problem.A.Shift, problem.B.Shift);
    }

    [Theory]
    [InlineData("ZDT1")]
    [InlineData("ZDT2")]
    [InlineData("ZDT3")]
    public void Zdt_fronts_are_where_the_definitions_put_them(string name)
    {
        var problem = MultiObjectiveProblem.Create(name);
        Assert.Equal(10, problem.D);
        foreach (var f1 in new[] { 0.0, 0.25, 0.81 })
        {
            // On the Pareto set every x_i but the first is 0, so g = 1.
            var f = problem.Evaluate([f1, .. new double[9]]);
            var expected = name switch
            {
                "ZDT1" => 1 - Math.Sqrt(f1),
                "ZDT2" => 1 - (f1 * f1),
                _ => 1 - Math.Sqrt(f1) - (f1 * Math.Sin(10 * Math.PI * f1)),
            };
            Assert.Equal(f1, f[0], 12);
            Assert.Equal(expected, f[1], 12);
        }

        Assert.Equal(10, problem.Evaluate([0, .. Enumerable.Repeat(1.0, 9)])[1], 12);
    }

    [Theory]
    [InlineData("DTLZ2-2", 2)]
    [InlineData("DTLZ2-3", 3)]
    public void Dtlz2_front_is_the_unit_sphere_and_g_scales_it(string name, int objectives)
    {
        var problem = MultiObjectiveProblem.Create(name);
        Assert.Equal(objectives, problem.Objectives);
        Assert.Equal(objectives + 4, problem.D);
        var random = new Random(3);
        for (var k = 0; k < 5; k++)
        {
            var x = Enumerable.Range(0, problem.D).Select(i => i < objectives - 1 ? random.NextDouble() : 0.5).ToArray();
            Assert.Equal(1, problem.Evaluate(x).Sum(v => v * v), 12);
            x[^1] = 1;
            Assert.Equal(1.25 * 1.25, problem.Evaluate(x).Sum(v => v * v), 12);
        }

        Assert.Equal([1, .. new double[objectives - 1]], problem.Evaluate([.. new double[objectives - 1], .. Enumerable.Repeat(0.5, problem.D - objectives + 1)]), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Hypervolume_counts_the_dominated_region_once_in_two_and_three_objectives()
    {
        Assert.Equal(1, Hypervolume.Of([[0, 0]], [1, 1]), 12);
        Assert.Equal(0.75, Hypervolume.Of([[0, 0.5], [0.5, 0], [0.6, 0.6]], [1, 1]), 12);
        Assert.Equal(0, Hypervolume.Of([[2, 0]], [1, 1]), 12);
        Assert.Equal(1, Hypervolume.Of([[0, 0, 0], [0.5, 0.5, 0.5]], [1, 1, 1]), 12);

        // Three slabs: everything but the corner none of them covers, 0.5^3; a duplicate point adds nothing.
        Assert.Equal(1 - 0.125, Hypervolume.Of([[0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]], [1, 1, 1]), 12);
        Assert.Equal(0.25, Hypervolume.Of([[0, 0.5, 0.5], [0, 0.5, 0.5]], [1, 1, 1]), 12);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
