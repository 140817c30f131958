using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>The input of one suggestion call.</summary>
public sealed record SuggestionContext
{
    /// <summary>The study config.</summary>
    public required StudyConfig Config { get; init; }

    /// <summary>Every trial of the study in id order, pending ones included.</summary>
    public IReadOnlyList<Trial> Trials { get; init; } = [];

    /// <summary>The study's metadata.</summary>
    public Metadata StudyMetadata { get; init; } = Metadata.Empty;

    /// <summary>How many suggestions are wanted.</summary>
    public int Count { get; init; } = 1;

    /// <summary>The id the first new trial will get.</summary>
    public long NextTrialId { get; init; } = 1;

    /// <summary>The study's seed (the config's, or one derived from the study name).</summary>
    public long Seed { get; init; }

    /// <summary>Cancelled when the study stops waiting (its policy timeout passed); long computations check it between steps.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>A random generator that depends only on the seed and where the study is, so that runs repeat.</summary>
    public Random CreateRandom(string salt = "") => SeededRandom.Create(Seed, NextTrialId, salt);
}
