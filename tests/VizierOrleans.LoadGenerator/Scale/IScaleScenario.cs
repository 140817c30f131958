namespace VizierOrleans.LoadGenerator.Scale;

/// <summary>
/// One part of the scale benchmark: it stores its data through the service, the silo restarts, and it measures on the
/// cold silo. Scenarios run one after another in both phases, each measuring before the next one touches its grains.
/// </summary>
internal interface IScaleScenario
{
    /// <summary>Creates the scenario's studies and trials through the service (before the silo restarts).</summary>
    Task PopulateAsync(ScaleEnvironment environment, Action<string> progress, CancellationToken cancellationToken);

    /// <summary>Measures on the restarted, cold silo; returns the rows of the result table.</summary>
    Task<IReadOnlyList<ScaleRow>> MeasureAsync(ScaleEnvironment environment, Action<string> progress, CancellationToken cancellationToken);
}

/// <summary>One row of the scale table: what was measured, the value, the target, and whether it is met.</summary>
internal sealed record ScaleRow(string What, string Value, string Target, bool Met);
