using VizierOrleans.Grains.Algorithms;

namespace VizierOrleans.Tests.Integration;

/// <summary>A test policy that always suggests two more points than asked, to exercise surplus handling.</summary>
internal sealed class SurplusAlgorithm : ISuggestionAlgorithm
{
    public const string Name = "TEST_SURPLUS";

    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        var random = context.CreateRandom();
        return new SuggestionOutcome
        {
            Suggestions = [.. Enumerable.Range(0, context.Count + 2).Select(_ => AssignmentBuilder.Sample(context.Config.Parameters, random))],
        };
    }
}
