namespace VizierOrleans.Grains.Algorithms;

/// <summary>
/// A suggestion algorithm. Stateless between calls: everything it needs comes from the context (the study's
/// trials, and state it chose to keep in study metadata under its own namespace).
/// </summary>
public interface ISuggestionAlgorithm
{
    /// <summary>Suggests up to <see cref="SuggestionContext.Count"/> new points of the search space.</summary>
    SuggestionOutcome Suggest(SuggestionContext context);
}
