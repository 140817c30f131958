using System.Collections.Concurrent;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Hosting;

/// <summary>
/// The suggestion algorithms and stopping rules this silo can run: the built-in ones plus any a host adds with
/// <see cref="VizierSiloBuilderExtensions.AddVizierAlgorithm"/> (the developer API: pluggable policies).
/// </summary>
public sealed class AlgorithmCatalog
{
    private readonly ConcurrentDictionary<string, Func<ISuggestionAlgorithm>> _algorithms = new(StringComparer.Ordinal);

    /// <summary>Creates a catalog holding the built-in algorithms and the host's registrations.</summary>
    public AlgorithmCatalog(IEnumerable<AlgorithmRegistration> registrations)
    {
        foreach (var name in AlgorithmRegistry.KnownNames)
        {
            _algorithms[name] = () => AlgorithmRegistry.Create(name);
        }

        foreach (var registration in registrations)
        {
            _algorithms[registration.Name] = registration.Factory;
        }
    }

    /// <summary>The algorithm names a study config may use.</summary>
    public IReadOnlySet<string> Names => _algorithms.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Adds (or replaces) an algorithm.</summary>
    public void Register(string name, Func<ISuggestionAlgorithm> factory) => _algorithms[name] = factory;

    /// <summary>The policy that applies a study's stopping rule.</summary>
    internal static IStoppingPolicy CreateStoppingPolicy(StoppingRule rule) => rule switch
    {
        StoppingRule.None => NeverStop.Instance,
        StoppingRule.Median => new Algorithms.Stopping.MedianStoppingRule(),
        StoppingRule.LearningCurve => new Algorithms.Stopping.LearningCurveStoppingRule(),
        _ => throw new InvalidStudyConfigException("stopping.rule", $"stopping rule {rule} is not available on this service."),
    };

    /// <summary>A fresh instance of the named algorithm.</summary>
    public ISuggestionAlgorithm Create(string name) =>
        _algorithms.TryGetValue(name, out var factory)
            ? factory()
            : throw new InvalidStudyConfigException("algorithm", $"unknown algorithm '{name}'; known: {string.Join(", ", Names.Order())}.");
}
