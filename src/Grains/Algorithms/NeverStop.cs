using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>The policy of a study without automated stopping: no trial is ever stopped by the service.</summary>
internal sealed class NeverStop : IStoppingPolicy
{
    /// <summary>The single instance.</summary>
    public static readonly NeverStop Instance = new();

    /// <inheritdoc />
    public IReadOnlyList<StopDecision> Decide(StudyConfig config, IReadOnlyList<Trial> trials, IReadOnlyList<long> trialIds) =>
        [.. trialIds.Select(id => new StopDecision(id, false, "the study has no automated stopping rule"))];
}
