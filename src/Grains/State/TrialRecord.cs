using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.State;

/// <summary>The trial grain's stored state.</summary>
[GenerateSerializer, Alias("vizier.TrialRecord")]
internal sealed class TrialRecord
{
    /// <summary>The trial, or null before it is created.</summary>
    [Id(0)] public Trial? Trial { get; set; }
}
