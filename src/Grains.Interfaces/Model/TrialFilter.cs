using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>
/// Which trials a list call returns: by state and client id, and a page of ids. To page, pass the last id of a page as
/// the next call's <see cref="AfterId"/>: every trial that exists throughout the paging is returned exactly once, in id
/// order, whatever is added meanwhile.
/// </summary>
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

    /// <summary>Only trials held (or last held) by this worker (null: any).</summary>
    [Id(3)] public string? ClientId { get; init; }

    /// <summary>
    /// False: completed trials may come without their intermediate measurements, as the study's index holds them, with
    /// no storage read (for tables and plots of final values). True (the default): every trial whole.
    /// </summary>
    [Id(4)] public bool IntermediateMeasurements { get; init; } = true;

    /// <summary>True when <paramref name="trial"/> passes the state and client filters (not the page).</summary>
    public bool Matches(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return (States.IsEmpty || States.Contains(trial.State)) && (ClientId is null || trial.ClientId == ClientId);
    }

    /// <summary>The first broken rule (negative page bounds), naming the field, or null.</summary>
    public string? Problem() =>
        AfterId < 0 ? $"TrialFilter.AfterId must not be negative, was {AfterId}."
        : MaxCount < 0 ? $"TrialFilter.MaxCount must not be negative, was {MaxCount}."
        : null;
}
