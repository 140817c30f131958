using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VizierOrleans.Grains.Algorithms;

namespace VizierOrleans.Grains.Hosting;

/// <summary>Registers the Vizier grains' services on a silo.</summary>
public static class VizierSiloBuilderExtensions
{
    /// <summary>Adds the services the Vizier grains need (algorithm catalog, time provider, study limits).</summary>
    public static ISiloBuilder AddVizierGrains(this ISiloBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(AlgorithmCatalog)))
        {
            return builder;
        }

        builder.Services.AddSingleton<AlgorithmCatalog>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<StudyOptions>()
            .Validate(o => o.Problem() is null, "Vizier:Study is invalid: see StudyOptions.Problem()")
            .ValidateOnStart();
        builder.Services.AddSingleton<PolicyComputeLimiter>();
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
