using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>One parameter of the search space.</summary>
[GenerateSerializer, Immutable, Alias("vizier.ParameterConfig")]
public sealed record ParameterConfig
{
    /// <summary>The parameter's name, unique in the whole search space (children included).</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>The kind of values it takes.</summary>
    [Id(1)] public ParameterType Type { get; init; }

    /// <summary>Lower bound for DOUBLE and INTEGER.</summary>
    [Id(2)] public double Min { get; init; }

    /// <summary>Upper bound for DOUBLE and INTEGER.</summary>
    [Id(3)] public double Max { get; init; }

    /// <summary>The feasible values of a DISCRETE parameter, sorted ascending.</summary>
    [Id(4)] public ImmutableList<double> FeasibleValues { get; init; } = [];

    /// <summary>The categories of a CATEGORICAL parameter.</summary>
    [Id(5)] public ImmutableList<string> Categories { get; init; } = [];

    /// <summary>The scale of a numeric parameter.</summary>
    [Id(6)] public ScaleType Scale { get; init; }

    /// <summary>An optional default value; algorithms may try it first.</summary>
    [Id(7)] public ParameterValue? Default { get; init; }

    /// <summary>Conditional children.</summary>
    [Id(8)] public ImmutableList<ConditionalParameter> Children { get; init; } = [];

    /// <summary>A DOUBLE parameter in [min, max].</summary>
    public static ParameterConfig Double(string name, double min, double max, ScaleType scale = ScaleType.Linear) =>
        new() { Name = name, Type = ParameterType.Double, Min = min, Max = max, Scale = scale };

    /// <summary>An INTEGER parameter in [min, max].</summary>
    public static ParameterConfig Integer(string name, long min, long max, ScaleType scale = ScaleType.Linear) =>
        new() { Name = name, Type = ParameterType.Integer, Min = min, Max = max, Scale = scale };

    /// <summary>A DISCRETE parameter with the given feasible values (sorted for you).</summary>
    public static ParameterConfig Discrete(string name, IEnumerable<double> values, ScaleType scale = ScaleType.Linear) =>
        new() { Name = name, Type = ParameterType.Discrete, FeasibleValues = [.. values.Order()], Scale = scale };

    /// <summary>A CATEGORICAL parameter with the given categories.</summary>
    public static ParameterConfig Categorical(string name, params IEnumerable<string> categories) =>
        new() { Name = name, Type = ParameterType.Categorical, Categories = [.. categories] };

    /// <summary>Returns a copy with <paramref name="child"/> active when this parameter takes one of <paramref name="parentValues"/>.</summary>
    public ParameterConfig WithChild(ParameterConfig child, params IEnumerable<ParameterValue> parentValues) =>
        this with { Children = Children.Add(new ConditionalParameter { ParentValues = [.. parentValues], Parameter = child }) };

    /// <summary>True for DOUBLE, INTEGER and DISCRETE.</summary>
    public bool IsNumeric => Type != ParameterType.Categorical;

    /// <summary>The lowest feasible numeric value.</summary>
    public double LowerBound => Type == ParameterType.Discrete ? FeasibleValues[0] : Min;

    /// <summary>The highest feasible numeric value.</summary>
    public double UpperBound => Type == ParameterType.Discrete ? FeasibleValues[^1] : Max;

    /// <summary>The number of feasible values, or null for DOUBLE.</summary>
    public long? FeasibleCount => Type switch
    {
        ParameterType.Integer => (long)Max - (long)Min + 1,
        ParameterType.Discrete => FeasibleValues.Count,
        ParameterType.Categorical => Categories.Count,
        _ => null,
    };

    /// <summary>True when <paramref name="value"/> is a feasible value of this parameter.</summary>
    public bool IsFeasible(ParameterValue value)
    {
        switch (Type)
        {
            case ParameterType.Categorical:
                return value.Text is not null && Categories.Contains(value.Text);
            case ParameterType.Discrete:
                return value.Number is double d && FeasibleValues.Contains(d);
            case ParameterType.Integer:
                return value.Number is double i && double.IsFinite(i) && i == Math.Round(i) && i >= Min && i <= Max;
            default:
                return value.Number is double x && double.IsFinite(x) && x >= Min && x <= Max;
        }
    }
}
