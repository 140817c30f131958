using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.State;

/// <summary>
/// The study grain's stored state. Deliberately small: trials live in their own grains, so a study with 10,000 trials
/// never needs one large row.
/// </summary>
[GenerateSerializer, Immutable, Alias("vizier.StudyRecord")]
internal sealed record StudyRecord
{
    /// <summary>The problem statement.</summary>
    [Id(0)] public required StudyConfig Config { get; init; }

    /// <summary>The lifecycle state.</summary>
    [Id(1)] public StudyState State { get; init; } = StudyState.Active;

    /// <summary>Why the study is in its state.</summary>
    [Id(2)] public string? StateReason { get; init; }

    /// <summary>When the study was created.</summary>
    [Id(3)] public DateTimeOffset CreateTime { get; init; }

    /// <summary>Current metadata.</summary>
    [Id(4)] public Metadata Metadata { get; init; } = Metadata.Empty;

    /// <summary>
    /// A lower bound of the id the next trial gets. The exact next id is one above the highest trial that exists,
    /// or this, whichever is larger; it is written exactly when a trial is deleted, so a deleted id never comes back.
    /// </summary>
    [Id(5)] public long NextTrialId { get; init; } = 1;

    /// <summary>True once the algorithm said it will suggest nothing new (for example, the grid is exhausted).</summary>
    [Id(6)] public bool PolicyExhausted { get; init; }

    /// <summary>
    /// Ids below this may have been handed out. Ids are reserved in blocks, written before any trial of the block
    /// exists, so the study record is written once per block instead of once per suggestion; on activation the
    /// study looks for trials up to here.
    /// </summary>
    [Id(7)] public long ReservedTrialIdsUpTo { get; init; } = 1;
}
