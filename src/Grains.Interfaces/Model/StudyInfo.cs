namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>A study as the service reports it.</summary>
[GenerateSerializer, Immutable, Alias("vizier.StudyInfo")]
public sealed record StudyInfo
{
    /// <summary><c>owners/{owner}/studies/{studyId}</c>.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>The problem statement.</summary>
    [Id(1)] public required StudyConfig Config { get; init; }

    /// <summary>The lifecycle state.</summary>
    [Id(2)] public StudyState State { get; init; }

    /// <summary>Why the study is in its state (for example, "trial budget of 100 reached").</summary>
    [Id(3)] public string? StateReason { get; init; }

    /// <summary>When the study was created.</summary>
    [Id(4)] public DateTimeOffset CreateTime { get; init; }

    /// <summary>Current study metadata (the config's, plus updates).</summary>
    [Id(5)] public Metadata Metadata { get; init; } = Metadata.Empty;

    /// <summary>The owner part of the name.</summary>
    public string Owner => ResourceNames.ParseStudy(Name).Owner;

    /// <summary>The study id part of the name.</summary>
    public string StudyId => ResourceNames.ParseStudy(Name).StudyId;
}
