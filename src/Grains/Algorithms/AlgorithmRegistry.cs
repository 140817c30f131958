using System.Collections.Frozen;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>The algorithms the service can run, by the names study configs use.</summary>
internal static class AlgorithmRegistry
{
    private static readonly FrozenDictionary<string, Func<ISuggestionAlgorithm>> Factories =
        new Dictionary<string, Func<ISuggestionAlgorithm>>(StringComparer.Ordinal)
        {
            [AlgorithmNames.Default] = () => new GaussianProcess.GaussianProcessBandit(),
            [AlgorithmNames.GaussianProcessBandit] = () => new GaussianProcess.GaussianProcessBandit(),
            [AlgorithmNames.RandomSearch] = () => new RandomSearch(),
            [AlgorithmNames.QuasiRandomSearch] = () => new QuasiRandomSearch(),
            [AlgorithmNames.GridSearch] = () => new GridSearch(shuffled: false),
            [AlgorithmNames.ShuffledGridSearch] = () => new GridSearch(shuffled: true),
            [AlgorithmNames.RegularizedEvolution] = () => new Evolution.RegularizedEvolution(),
            [AlgorithmNames.Nsga2] = () => new Evolution.Nsga2(),
            [AlgorithmNames.CmaEs] = () => new Evolution.CmaEs(),
            [AlgorithmNames.EagleStrategy] = () => new Evolution.EagleStrategy(),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The names a study config may use.</summary>
    public static IReadOnlySet<string> KnownNames { get; } = Factories.Keys.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The algorithm for <paramref name="name"/>; throws when unknown.</summary>
    public static ISuggestionAlgorithm Create(string name) =>
        Factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new InvalidStudyConfigException("algorithm", $"unknown algorithm '{name}'.");
}
