using System.Globalization;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>
/// One parameter's value: a number (DOUBLE, INTEGER, DISCRETE) or a string (CATEGORICAL).
/// Exactly one of <see cref="Number"/> and <see cref="Text"/> is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("vizier.ParameterValue")]
public sealed record ParameterValue
{
    /// <summary>The numeric value, for DOUBLE, INTEGER and DISCRETE parameters.</summary>
    [Id(0)] public double? Number { get; init; }

    /// <summary>The string value, for CATEGORICAL parameters.</summary>
    [Id(1)] public string? Text { get; init; }

    /// <summary>Creates a numeric value.</summary>
    public static ParameterValue Of(double number) => new() { Number = number };

    /// <summary>Creates a categorical value.</summary>
    public static ParameterValue Of(string text) => new() { Text = text };

    /// <summary>Implicit conversion from a number.</summary>
    public static implicit operator ParameterValue(double number) => Of(number);

    /// <summary>Implicit conversion from a string.</summary>
    public static implicit operator ParameterValue(string text) => Of(text);

    /// <summary>The numeric value; throws when this is a categorical value.</summary>
    public double AsDouble() => Number ?? throw new InvalidOperationException($"Parameter value '{Text}' is categorical, not numeric.");

    /// <summary>The numeric value rounded to an integer.</summary>
    public long AsInt64() => (long)Math.Round(AsDouble());

    /// <summary>The categorical value, or the number formatted invariantly.</summary>
    public string AsString() => Text ?? AsDouble().ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => Text is null ? AsString() : $"\"{Text}\"";
}
