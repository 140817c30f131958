namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>Whether a metric should be made large or small.</summary>
public enum MetricGoal
{
    /// <summary>Larger is better.</summary>
    Maximize = 1,

    /// <summary>Smaller is better.</summary>
    Minimize = 2,
}
