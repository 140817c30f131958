namespace VizierOrleans.Dashboard.Api;

/// <summary>A request field that the API cannot accept; answered with 400 and the field's name.</summary>
internal sealed class BadRequestFieldException(string field, string message) : Exception(message)
{
    /// <summary>The field's name as the request spells it.</summary>
    public string Field { get; } = field;
}
