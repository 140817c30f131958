using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.State;

/// <summary>What an owner holds about one study: the latest summary the study sent, or that it is gone.</summary>
[GenerateSerializer, Immutable, Alias("vizier.OwnerEntry")]
internal sealed record OwnerEntry
{
    /// <summary>The version of the update this entry came from.</summary>
    [Id(0)] public long Version { get; init; }

    /// <summary>Being created: kept, not listed (see <see cref="StudySummaryUpdate.Provisional"/>).</summary>
    [Id(1)] public bool Provisional { get; init; }

    /// <summary>When the owner took the update (for checking provisional entries and dropping old removals).</summary>
    [Id(2)] public DateTimeOffset Received { get; init; }

    /// <summary>The summary, or null for a removed study (kept a while, so a late older update cannot bring it back).</summary>
    [Id(3)] public StudySummary? Summary { get; init; }

    /// <summary>Listed: a summary the study confirmed.</summary>
    public bool Listed => Summary is not null && !Provisional;
}
