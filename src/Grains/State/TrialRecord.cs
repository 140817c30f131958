using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.State;

/// <summary>The trial grain's stored state.</summary>
[GenerateSerializer, Alias("vizier.TrialRecord")]
internal sealed class TrialRecord
{
    /// <summary>The trial, or null before it is created.</summary>
    [Id(0)] public Trial? Trial { get; set; }

    /// <summary>
    /// The study activation that created the trial (null for trials stored before it was recorded): only its repeat of
    /// the creation returns the stored trial; another activation's is refused.
    /// </summary>
    [Id(1)] public Guid? Creator { get; set; }
}
