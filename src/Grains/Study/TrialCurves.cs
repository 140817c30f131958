using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Whether a study's policies read the intermediate measurements of completed trials, so that its index must hold
/// them. The built-in suggestion algorithms read final measurements only; a stopping rule compares curves, an external
/// (Pythia) policy is sent every trial whole, and an algorithm a host adds may read anything.
/// </summary>
internal static class TrialCurves
{
    private static readonly HashSet<string> FinalMeasurementsOnly = new(StringComparer.Ordinal)
    {
        AlgorithmNames.Default, AlgorithmNames.GaussianProcessBandit, AlgorithmNames.RandomSearch, AlgorithmNames.QuasiRandomSearch,
        AlgorithmNames.GridSearch, AlgorithmNames.ShuffledGridSearch, AlgorithmNames.RegularizedEvolution, AlgorithmNames.Nsga2,
        AlgorithmNames.CmaEs, AlgorithmNames.EagleStrategy,
    };

    /// <summary>True when the policies of a study with <paramref name="config"/> read completed trials' curves.</summary>
    public static bool NeededInMemory(StudyConfig config) =>
        config.Stopping.Rule != StoppingRule.None
        || ExternalPolicy.Endpoint(config) is not null
        || !FinalMeasurementsOnly.Contains(config.Algorithm);
}
