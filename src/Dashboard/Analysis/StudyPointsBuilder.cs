using VizierOrleans.Dashboard.Api;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Analysis;

/// <summary>Builds the columnar <see cref="StudyPoints"/> the plots draw from.</summary>
internal static class StudyPointsBuilder
{
    private static readonly TrialState[] StateOrder = Enum.GetValues<TrialState>();

    /// <summary>The columns of every trial, in id order.</summary>
    public static StudyPoints Build(StudyInfo study, IReadOnlyList<Trial> trials, IReadOnlyList<Trial> optimal)
    {
        var config = study.Config;
        var n = trials.Count;
        var clientNames = new List<string>();
        var clientIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var parameters = SearchSpace.Flatten(config.Parameters).ToList();
        var columns = parameters.ToDictionary(p => p.Name, _ => new double?[n], StringComparer.Ordinal);
        var categories = parameters.Where(p => p.Type == ParameterType.Categorical)
            .ToDictionary(p => p.Name, p => (IReadOnlyList<string>)p.Categories, StringComparer.Ordinal);
        var metrics = config.Metrics.ToDictionary(m => m.Name, _ => new double?[n], StringComparer.Ordinal);
        var ids = new long[n];
        var states = new int[n];
        var clients = new int[n];
        var start = new double?[n];
        var end = new double?[n];
        var stopped = new bool[n];
        var unsafeFlags = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var t = trials[i];
            ids[i] = t.Id;
            states[i] = Array.IndexOf(StateOrder, t.State);
            clients[i] = t.ClientId is { } c
                ? (clientIndex.TryGetValue(c, out var k) ? k : clientIndex[c] = AddAndIndex(clientNames, c))
                : -1;
            start[i] = t.StartTime is { } s ? Math.Round((s - study.CreateTime).TotalSeconds, 3) : null;
            end[i] = t.EndTime is { } e ? Math.Round((e - study.CreateTime).TotalSeconds, 3) : null;
            stopped[i] = TrialViews.WasStopped(t);
            unsafeFlags[i] = TrialViews.IsUnsafe(t, config);
            foreach (var (name, value) in t.Parameters)
            {
                if (columns.TryGetValue(name, out var column))
                {
                    column[i] = value.Text is { } text ? (categories.TryGetValue(name, out var cats) ? IndexOf(cats, text) : null) : value.Number;
                }
            }

            if (t.FinalMeasurement is { } final)
            {
                foreach (var (name, value) in final.Metrics)
                {
                    if (metrics.TryGetValue(name, out var column))
                    {
                        column[i] = value;
                    }
                }
            }
        }

        return new StudyPoints(
            ids, states, [.. StateOrder.Select(s => Paging.Spell(s.ToString()))], clients, clientNames, start, end,
            columns, categories, metrics, stopped, unsafeFlags, [.. optimal.Select(t => t.Id).Order()]);
    }

    private static int AddAndIndex(List<string> names, string name)
    {
        names.Add(name);
        return names.Count - 1;
    }

    private static double? IndexOf(IReadOnlyList<string> categories, string text)
    {
        for (var i = 0; i < categories.Count; i++)
        {
            if (categories[i] == text)
            {
                return i;
            }
        }

        return null;
    }
}
