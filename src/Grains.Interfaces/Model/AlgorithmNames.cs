namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>The algorithm names a study config may use.</summary>
public static class AlgorithmNames
{
    /// <summary>The service's default: the Gaussian-process bandit.</summary>
    public const string Default = "DEFAULT";

    /// <summary>Gaussian-process bandit with UCB acquisition.</summary>
    public const string GaussianProcessBandit = "GAUSSIAN_PROCESS_BANDIT";

    /// <summary>Independent uniform samples (in each parameter's scale).</summary>
    public const string RandomSearch = "RANDOM_SEARCH";

    /// <summary>Scrambled Halton sequence.</summary>
    public const string QuasiRandomSearch = "QUASI_RANDOM_SEARCH";

    /// <summary>Every grid point in order; the study completes when the grid is exhausted.</summary>
    public const string GridSearch = "GRID_SEARCH";

    /// <summary>Every grid point in a seeded random order; completes when exhausted.</summary>
    public const string ShuffledGridSearch = "SHUFFLED_GRID_SEARCH";

    /// <summary>Aging evolution with tournament selection.</summary>
    public const string RegularizedEvolution = "REGULARIZED_EVOLUTION";

    /// <summary>Multi-objective NSGA-II.</summary>
    public const string Nsga2 = "NSGA2";

    /// <summary>Covariance matrix adaptation evolution strategy.</summary>
    public const string CmaEs = "CMA_ES";

    /// <summary>Firefly-style eagle strategy.</summary>
    public const string EagleStrategy = "EAGLE_STRATEGY";
}
