namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>How noisy the objective is, as a hint to algorithms.</summary>
public enum ObservationNoise
{
    /// <summary>Not specified.</summary>
    Unspecified = 0,

    /// <summary>Repeated evaluations give nearly the same value.</summary>
    Low = 1,

    /// <summary>Repeated evaluations vary noticeably.</summary>
    High = 2,
}
