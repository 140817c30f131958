namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>The kind of values a parameter takes.</summary>
public enum ParameterType
{
    /// <summary>A real number in [min, max].</summary>
    Double = 1,

    /// <summary>An integer in [min, max].</summary>
    Integer = 2,

    /// <summary>One of a sorted list of real numbers.</summary>
    Discrete = 3,

    /// <summary>One of a list of strings.</summary>
    Categorical = 4,
}
