namespace VizierOrleans.Grains.State;

/// <summary>The study grain's storage slot: empty until the study is created, and again after it is deleted.</summary>
[GenerateSerializer, Alias("vizier.StudyDocument")]
internal sealed class StudyDocument
{
    /// <summary>The study, or null when it does not exist.</summary>
    [Id(0)] public StudyRecord? Study { get; set; }
}
