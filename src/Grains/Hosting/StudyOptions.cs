namespace VizierOrleans.Grains.Hosting;

/// <summary>Limits of the study grains, bound from the silo's <c>Vizier:Study</c> section and validated at start.</summary>
public sealed class StudyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Vizier:Study";

    /// <summary>The most trials one suggest call may ask for (<c>suggestion_count</c>); larger requests are refused.</summary>
    public int MaxSuggestCount { get; set; } = 1000;

    /// <summary>
    /// How many in-cluster policy computations (suggestions, stopping decisions) a silo runs at once; the rest wait.
    /// Below the core count, so a heavy GP never starves the silo's request handling.
    /// </summary>
    public int MaxConcurrentPolicyComputations { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>How long a study waits for a policy computation before it cancels it and fails the suggestion.</summary>
    public TimeSpan PolicyTimeout { get; set; } = TimeSpan.FromMinutes(5);

    // The response timeout of IPolicyWorkerGrain's calls: the study's own deadline must come first, because it is what
    // cancels the computation (a call that merely times out does not, unless CancelRequestOnTimeout is set).
    private static readonly TimeSpan MaxPolicyTimeout = TimeSpan.FromHours(1);

    /// <summary>
    /// How often, at most, a study sends its owner a new summary after trial changes (counts, best values, metadata): how
    /// far behind the owner's listing may be on those. Creation, state changes and deletes are sent at once.
    /// </summary>
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first broken rule, or null.</summary>
    public string? Problem() =>
        MaxSuggestCount < 1 ? $"Vizier:Study:MaxSuggestCount must be at least 1, was {MaxSuggestCount}."
        : MaxConcurrentPolicyComputations < 1 ? $"Vizier:Study:MaxConcurrentPolicyComputations must be at least 1, was {MaxConcurrentPolicyComputations}."
        : PolicyTimeout <= TimeSpan.Zero || PolicyTimeout > MaxPolicyTimeout ? $"Vizier:Study:PolicyTimeout must be positive and at most an hour (the policy calls' response timeout), was {PolicyTimeout}."
        : SummaryInterval <= TimeSpan.Zero || SummaryInterval > TimeSpan.FromMinutes(1) ? $"Vizier:Study:SummaryInterval must be positive and at most a minute, was {SummaryInterval}."
        : null;
}
