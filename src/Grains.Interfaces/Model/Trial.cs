using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>A trial: one point of the search space and what was observed there.</summary>
[GenerateSerializer, Immutable, Alias("vizier.Trial")]
public sealed record Trial
{
    /// <summary>The study's resource name, <c>owners/{owner}/studies/{studyId}</c>.</summary>
    [Id(0)] public required string StudyName { get; init; }

    /// <summary>The trial id: 1, 2, ... within the study; never reused.</summary>
    [Id(1)] public long Id { get; init; }

    /// <summary>Parameter name -> value, for the parameters active at this point.</summary>
    [Id(2)] public ImmutableDictionary<string, ParameterValue> Parameters { get; init; } = ImmutableDictionary<string, ParameterValue>.Empty;

    /// <summary>The lifecycle state.</summary>
    [Id(3)] public TrialState State { get; init; }

    /// <summary>The worker that holds (or held) the trial.</summary>
    [Id(4)] public string? ClientId { get; init; }

    /// <summary>Intermediate measurements, in the order they were added.</summary>
    [Id(5)] public ImmutableList<Measurement> Measurements { get; init; } = [];

    /// <summary>The final measurement of a SUCCEEDED trial.</summary>
    [Id(6)] public Measurement? FinalMeasurement { get; init; }

    /// <summary>Why the trial is INFEASIBLE.</summary>
    [Id(7)] public string? InfeasibleReason { get; init; }

    /// <summary>When the trial was created.</summary>
    [Id(8)] public DateTimeOffset CreateTime { get; init; }

    /// <summary>When a worker first received it.</summary>
    [Id(9)] public DateTimeOffset? StartTime { get; init; }

    /// <summary>When it was completed.</summary>
    [Id(10)] public DateTimeOffset? EndTime { get; init; }

    /// <summary>Trial metadata.</summary>
    [Id(11)] public Metadata Metadata { get; init; } = Metadata.Empty;

    /// <summary>Why the service asked the worker to stop, when STOPPING.</summary>
    [Id(12)] public string? StoppingReason { get; init; }

    /// <summary>Increases with every change, so that readers can order copies of the same trial.</summary>
    [Id(13)] public long Version { get; init; }

    /// <summary>The trial's resource name.</summary>
    public string Name => ResourceNames.Trial(StudyName, Id);
}
