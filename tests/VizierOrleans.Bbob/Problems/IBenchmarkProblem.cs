using System.Text.Json.Nodes;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Bbob.Problems;

/// <summary>
/// One benchmark problem as a study sees it: a search space, objectives (all minimized) and a function from a trial's
/// parameters to objective values. <see cref="Spec"/> describes it completely (shifts and rotations included) for the
/// Python port that runs the Optuna peers on exactly the same problem.
/// </summary>
public interface IBenchmarkProblem
{
    /// <summary>The cell label in tables (for example "Sphere" or "ZDT1").</summary>
    string Name { get; }

    /// <summary>The search space (root parameters; conditional ones as children).</summary>
    IReadOnlyList<ParameterConfig> Parameters { get; }

    /// <summary>The number of objectives, all minimized; one is named "value", several "f1", "f2", ...</summary>
    int Objectives { get; }

    /// <summary>The objective values of one trial's parameters.</summary>
    double[] Evaluate(IReadOnlyDictionary<string, ParameterValue> parameters);

    /// <summary>The JSON definition the Python port evaluates (see optuna/problems.py).</summary>
    JsonObject Spec();
}
