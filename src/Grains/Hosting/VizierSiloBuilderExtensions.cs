using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;
using Orleans.Storage;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Events;
using VizierOrleans.Grains.Interfaces.Events;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Grains.Hosting;

/// <summary>Registers the Vizier grains' services on a silo.</summary>
public static class VizierSiloBuilderExtensions
{
    /// <summary>
    /// Adds the services the Vizier grains need (algorithm catalog, time provider) and the study-event stream
    /// (<see cref="StudyEventStreams"/>): Orleans' in-memory stream provider, whose queues are grains and so span
    /// the cluster, with its subscriptions in memory unless the host registers its own <c>PubSubStore</c>.
    /// </summary>
    public static ISiloBuilder AddVizierGrains(this ISiloBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(AlgorithmCatalog)))
        {
            return builder;
        }

        builder.Services.AddSingleton<AlgorithmCatalog>();
        builder.Services.AddSingleton<StudyTrialReader>();
        builder.Services.TryAddSingleton<IStoragePartitionLayout, VizierPartitionLayout>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(LeaseClock.System);
        builder.Services.AddOptions<StudyOptions>()
            .Validate(o => o.Problem() is null, "Vizier:Study is invalid: see StudyOptions.Problem()")
            .ValidateOnStart();
        builder.Services.AddOptions<OwnerOptions>()
            .Validate(o => o.Problem() is null, "Vizier:Owner is invalid: see OwnerOptions.Problem()")
            .ValidateOnStart();
        builder.Services.AddSingleton<PolicyComputeLimiter>();
        if (!builder.Services.Any(d => d.ServiceType == typeof(StudyEventPublisher)))
        {
            builder.Services.AddSingleton<StudyEventPublisher>();
            builder.AddMemoryStreams(StudyEventStreams.Provider);
            if (!builder.Services.Any(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, PubSubStore)))
            {
                builder.AddMemoryGrainStorage(PubSubStore);
            }
        }

        return builder;
    }

    // The storage name Orleans' stream pub-sub uses.
    private const string PubSubStore = "PubSubStore";

    /// <summary>
    /// Adds in-memory grain storage named <paramref name="name"/> that reads back what it stored, in Orleans' own
    /// serialization format: the default one (Newtonsoft JSON) cannot read the immutable collections of a trial, so a
    /// trial grain that was deactivated (idle, or after a conflict) could not be activated again.
    /// </summary>
    public static ISiloBuilder AddVizierMemoryGrainStorage(this ISiloBuilder builder, string name = StorageNames.Vizier) =>
        builder.AddMemoryGrainStorage(name, options => options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));

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
