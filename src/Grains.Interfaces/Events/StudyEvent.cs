using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces.Events;

/// <summary>
/// One change of a study or of one of its trials, published on the <see cref="StudyEventStreams"/> stream after the
/// change is stored. Readers must treat events as hints in arrival order: a trial event carries the trial as stored,
/// and <see cref="Trial.Version"/> orders copies of the same trial.
/// </summary>
[GenerateSerializer, Immutable, Alias("vizier.StudyEvent")]
public sealed record StudyEvent
{
    /// <summary>What changed.</summary>
    [Id(0)] public required StudyEventKind Kind { get; init; }

    /// <summary>The study's resource name, <c>owners/{owner}/studies/{studyId}</c>.</summary>
    [Id(1)] public required string StudyName { get; init; }

    /// <summary>When the change was stored.</summary>
    [Id(2)] public DateTimeOffset Time { get; init; }

    /// <summary>The trial as stored, for trial events (the last stored copy for <see cref="StudyEventKind.TrialDeleted"/>).</summary>
    [Id(3)] public Trial? Trial { get; init; }

    /// <summary>The study's state after the change, for study events.</summary>
    [Id(4)] public StudyState? StudyState { get; init; }

    /// <summary>The owner part of <see cref="StudyName"/>.</summary>
    public string Owner => ResourceNames.ParseStudy(StudyName).Owner;
}
