using VizierOrleans.Grains.Algorithms;

namespace VizierOrleans.Tests.Integration;

/// <summary>A test policy that does not answer until the test opens its gate: a stand-in for a slow computation.</summary>
internal sealed class BlockingAlgorithm : ISuggestionAlgorithm
{
    public const string Name = "TEST_BLOCKING";

    public static readonly ManualResetEventSlim Entered = new();

    public static readonly ManualResetEventSlim Gate = new();

    public SuggestionOutcome Suggest(SuggestionContext context)
    {
        Entered.Set();
        Gate.Wait(TimeSpan.FromSeconds(30));
        return new RandomSearch().Suggest(context);
    }
}
