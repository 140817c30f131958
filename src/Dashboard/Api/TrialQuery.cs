using System.Globalization;
using Microsoft.AspNetCore.Http;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Api;

/// <summary>
/// The trial table's query: filters (<c>state</c>, <c>client</c>, <c>param=NAME:MIN:MAX</c> or <c>param=NAME:CATEGORY</c>,
/// <c>metric=NAME:MIN:MAX</c>, an empty bound is open), order (<c>sort</c>: id, state, client, start, end, duration,
/// <c>param:NAME</c>, <c>metric:NAME</c>; <c>order</c>: asc or desc) and page (<c>page</c> from 1, <c>pageSize</c> 1 to 1000).
/// Bad input throws <see cref="BadRequestFieldException"/> naming the query field.
/// </summary>
internal sealed class TrialQuery
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 1000;

    private readonly List<Func<Trial, bool>> _filters = [];
    private Func<Trial, IComparable?> _key = t => t.Id;
    private bool _descending;

    /// <summary>The page number, from 1.</summary>
    public int Page { get; private set; } = 1;

    /// <summary>Trials per page.</summary>
    public int PageSize { get; private set; } = 50;

    /// <summary>Reads the query from a request's query string, checking it against the study's config.</summary>
    public static TrialQuery Parse(IQueryCollection query, StudyConfig config)
    {
        var result = new TrialQuery
        {
            Page = Paging.Int(query, "page", 1, 1, int.MaxValue),
            PageSize = Paging.Int(query, "pageSize", 50, 1, MaxPageSize),
        };
        var parameters = SearchSpace.Flatten(config.Parameters).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var metrics = config.Metrics.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

        if (query["state"].ToString() is { Length: > 0 } stateList)
        {
            var states = stateList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(s => Paging.Enum<TrialState>(s, "state")).ToHashSet();
            result._filters.Add(t => states.Contains(t.State));
        }

        if (query["client"].ToString() is { Length: > 0 } client)
        {
            result._filters.Add(t => t.ClientId is { } c && c.Contains(client, StringComparison.OrdinalIgnoreCase));
        }

        foreach (var spec in query["param"].Where(s => !string.IsNullOrEmpty(s)))
        {
            var parts = spec!.Split(':');
            if (!parameters.TryGetValue(parts[0], out var parameter))
            {
                throw new BadRequestFieldException("param", $"param: '{parts[0]}' is not a parameter of the study.");
            }

            if (parameter.Type == ParameterType.Categorical)
            {
                if (parts.Length != 2 || !parameter.Categories.Contains(parts[1]))
                {
                    throw new BadRequestFieldException("param", $"param: '{spec}' must be {parameter.Name}:CATEGORY with one of {string.Join(", ", parameter.Categories)}.");
                }

                result._filters.Add(t => t.Parameters.TryGetValue(parameter.Name, out var v) && v.Text == parts[1]);
            }
            else
            {
                var (min, max) = Range(parts, "param", spec);
                result._filters.Add(t => t.Parameters.TryGetValue(parameter.Name, out var v) && v.Number is double x && x >= min && x <= max);
            }
        }

        foreach (var spec in query["metric"].Where(s => !string.IsNullOrEmpty(s)))
        {
            var parts = spec!.Split(':');
            if (!metrics.Contains(parts[0]))
            {
                throw new BadRequestFieldException("metric", $"metric: '{parts[0]}' is not a metric of the study.");
            }

            var (min, max) = Range(parts, "metric", spec);
            result._filters.Add(t => t.FinalMeasurement is { } m && m.Metrics.TryGetValue(parts[0], out var x) && x >= min && x <= max);
        }

        var sort = query["sort"].ToString();
        result._key = sort switch
        {
            "" or "id" => t => t.Id,
            "state" => t => t.State.ToString(),
            "client" => t => t.ClientId,
            "start" => t => t.StartTime,
            "end" => t => t.EndTime,
            "duration" => t => t.StartTime is { } s && t.EndTime is { } e ? (e - s).TotalSeconds : null,
            _ when sort.StartsWith("param:", StringComparison.Ordinal) && parameters.ContainsKey(sort[6..]) =>
                t => t.Parameters.TryGetValue(sort[6..], out var v) ? (v.Text is { } text ? text : v.Number) : null,
            _ when sort.StartsWith("metric:", StringComparison.Ordinal) && metrics.Contains(sort[7..]) =>
                t => t.FinalMeasurement is { } m && m.Metrics.TryGetValue(sort[7..], out var x) ? x : null,
            _ => throw new BadRequestFieldException("sort", $"sort: '{sort}' is not one of id, state, client, start, end, duration, param:NAME, metric:NAME (with a parameter or metric of the study)."),
        };
        result._descending = query["order"].ToString() switch
        {
            "" or "asc" => false,
            "desc" => true,
            var other => throw new BadRequestFieldException("order", $"order: '{other}' is not asc or desc."),
        };
        return result;
    }

    /// <summary>Filters, orders and pages the trials; returns the page and how many matched.</summary>
    public (IReadOnlyList<Trial> Page, int Total) Apply(IReadOnlyList<Trial> trials)
    {
        var matching = trials.Where(t => _filters.All(f => f(t))).ToList();

        // Missing values (no final measurement yet, inactive parameter) sort last in either direction; ties by id.
        var ordered = _descending
            ? matching.OrderBy(t => _key(t) is null).ThenByDescending(_key, Comparer.Instance).ThenBy(t => t.Id)
            : matching.OrderBy(t => _key(t) is null).ThenBy(_key, Comparer.Instance).ThenBy(t => t.Id);
        var skip = (long)(Page - 1) * PageSize;
        return (skip >= matching.Count ? [] : [.. ordered.Skip((int)skip).Take(PageSize)], matching.Count);
    }

    private static (double Min, double Max) Range(string[] parts, string field, string spec)
    {
        if (parts.Length != 3)
        {
            throw new BadRequestFieldException(field, $"{field}: '{spec}' must be NAME:MIN:MAX (an empty bound is open).");
        }

        return (Bound(parts[1], double.NegativeInfinity, field, spec), Bound(parts[2], double.PositiveInfinity, field, spec));
    }

    private static double Bound(string text, double open, string field, string spec) =>
        text.Length == 0 ? open
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value) ? value
        : throw new BadRequestFieldException(field, $"{field}: '{text}' in '{spec}' is not a number.");

    private sealed class Comparer : IComparer<IComparable?>
    {
        public static readonly Comparer Instance = new();

        public int Compare(IComparable? x, IComparable? y) =>
            x is null ? (y is null ? 0 : 1) : y is null ? -1 : x is string a && y is string b ? string.CompareOrdinal(a, b) : x.CompareTo(y);
    }
}
