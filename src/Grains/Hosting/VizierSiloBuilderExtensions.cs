using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VizierOrleans.Grains.Algorithms;

namespace VizierOrleans.Grains.Hosting;

/// <summary>Registers the Vizier grains' services on a silo.</summary>
public static class VizierSiloBuilderExtensions
{
    /// <summary>Adds the services the Vizier grains need (algorithm catalog, time provider).</summary>
    public static ISiloBuilder AddVizierGrains(this ISiloBuilder builder)
    {
        builder.Services.TryAddSingleton<AlgorithmCatalog>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Adds a custom suggestion algorithm that study configs can name.</summary>
    public static ISiloBuilder AddVizierAlgorithm(this ISiloBuilder builder, string name, Func<ISuggestionAlgorithm> factory)
    {
        builder.AddVizierGrains();
        builder.Services.AddSingleton(new AlgorithmRegistration(name, factory));
        return builder;
    }
}

/// <summary>A custom algorithm added by the host.</summary>
/// <param name="Name">The name study configs use.</param>
/// <param name="Factory">Creates an instance.</param>
public sealed record AlgorithmRegistration(string Name, Func<ISuggestionAlgorithm> Factory);
