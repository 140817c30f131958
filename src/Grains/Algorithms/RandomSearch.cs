namespace VizierOrleans.Grains.Algorithms;

/// <summary>Independent uniform samples, uniform in each parameter's scale.</summary>
internal sealed class RandomSearch : ISuggestionAlgorithm
{
    /// <inheritdoc />
    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        var random = context.CreateRandom(nameof(RandomSearch));
        return new SuggestionOutcome
        {
            Suggestions = [.. Enumerable.Range(0, context.Count).Select(_ => AssignmentBuilder.Sample(context.Config.Parameters, random))],
        };
    }
}
