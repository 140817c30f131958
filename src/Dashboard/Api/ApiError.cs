namespace VizierOrleans.Dashboard.Api;

/// <summary>An error answer of the dashboard API.</summary>
/// <param name="Error">What went wrong, in a sentence.</param>
/// <param name="Field">The request field (query parameter or body property) that is wrong, when one is.</param>
internal sealed record ApiError(string Error, string? Field = null);
