using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>An early-stopping rule: decides, from the study's trials, which running trials should stop.</summary>
internal interface IStoppingPolicy
{
    /// <summary>One decision per id in <paramref name="trialIds"/>.</summary>
    IReadOnlyList<StopDecision> Decide(StudyConfig config, IReadOnlyList<Trial> trials, IReadOnlyList<long> trialIds);
}
