using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>Which trials a list call returns: by state, and a page of ids.</summary>
[GenerateSerializer, Immutable, Alias("vizier.TrialFilter")]
public sealed record TrialFilter
{
    /// <summary>Every trial.</summary>
    public static readonly TrialFilter All = new();

    /// <summary>Only trials in these states (empty: any state).</summary>
    [Id(0)] public ImmutableList<TrialState> States { get; init; } = [];

    /// <summary>Only trials with an id greater than this (for paging).</summary>
    [Id(1)] public long AfterId { get; init; }

    /// <summary>At most this many trials (0: no limit).</summary>
    [Id(2)] public int MaxCount { get; init; }
}
