using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VizierOrleans.Dashboard.Access;
using VizierOrleans.Dashboard.Analysis;
using VizierOrleans.Dashboard.Data;
using VizierOrleans.Dashboard.Events;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Events;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Api;

/// <summary>The dashboard's JSON API under <c>/api</c>, the one data path of the page (documented at <c>/api/openapi/dashboard.json</c>).</summary>
internal static class DashboardEndpoints
{
    /// <summary>The OpenAPI document (and endpoint group) name.</summary>
    public const string Group = "dashboard";

    private const string GrantItem = "vizier.dashboard.grant";

    /// <summary>Maps every endpoint.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithGroupName(Group).AddEndpointFilter(CheckAccessAndMapErrorsAsync);
        api.MapGet("/studies", ListStudiesAsync).WithSummary("Studies of every owner the caller may see, filtered and paged.");
        var study = api.MapGroup("/studies/{owner}/{studyId}");
        study.MapGet("/", GetStudyAsync).WithSummary("One study: configuration, state, trial counts, best values.");
        study.MapPost("/state", SetStateAsync).WithSummary("Sets the study ACTIVE, INACTIVE or COMPLETED.");
        study.MapDelete("/", DeleteStudyAsync).WithSummary("Deletes the study and all its trials.");
        study.MapGet("/trials", ListTrialsAsync).WithSummary("The trial table: filtered, sorted and paged.");
        study.MapGet("/trials/{trialId:long}", GetTrialAsync).WithSummary("One trial in full: parameters, measurements, metadata, times.");
        study.MapGet("/points", GetPointsAsync).WithSummary("Every trial as columns, for the plots.");
        study.MapGet("/curves", GetCurvesAsync).WithSummary("Intermediate values (learning curves) of one metric.");
        study.MapGet("/importance", GetImportanceAsync).WithSummary("Parameter importance for one objective, with the method named.");
        study.MapGet("/export.csv", ExportCsvAsync).WithSummary("Every trial as CSV.");
        study.MapGet("/export.json", ExportJsonAsync).WithSummary("Every trial as JSON.");
        api.MapGet("/events", Events).Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithSummary("Server-Sent Events: every study change the caller may see, optionally of one study (event name: the kind; data: a StudyEventView).");
    }

    private static async ValueTask<object?> CheckAccessAndMapErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var grant = http.RequestServices.GetRequiredService<DashboardAccess>().GrantOf(http);
        if (grant is null)
        {
            return TypedResults.Json(new ApiError($"The dashboard API needs a valid API key in the '{Grpc.ApiKeyGrants.Header}' header."), statusCode: StatusCodes.Status401Unauthorized);
        }

        http.Items[GrantItem] = grant;
        if (http.GetRouteValue("owner") is string routeOwner && !grant.Allows(routeOwner))
        {
            return TypedResults.Json(new ApiError($"This API key may not see owner '{routeOwner}'.", "owner"), statusCode: StatusCodes.Status403Forbidden);
        }

        try
        {
            return await next(context);
        }
        catch (BadRequestFieldException e)
        {
            return TypedResults.BadRequest(new ApiError(e.Message, e.Field));
        }
        catch (NotFoundException e)
        {
            return TypedResults.NotFound(new ApiError($"{e.Resource} does not exist."));
        }
        catch (InvalidArgumentException e)
        {
            return TypedResults.BadRequest(new ApiError(e.Message));
        }
        catch (FailedPreconditionException e)
        {
            return TypedResults.Conflict(new ApiError(e.Message));
        }
    }

    private static Grpc.ApiKeyGrant GrantOf(HttpContext http) => (Grpc.ApiKeyGrant)http.Items[GrantItem]!;

    private static async Task<StudyPage> ListStudiesAsync(HttpContext http, StudyReader reader, StudyEventHub hub)
    {
        var query = http.Request.Query;
        var grant = GrantOf(http);
        var page = Paging.Int(query, "page", 1, 1, int.MaxValue);
        var pageSize = Paging.Int(query, "pageSize", 50, 1, 500);
        StudyState? state = query["state"].ToString() is { Length: > 0 } s ? Paging.Enum<StudyState>(s, "state") : null;
        var algorithm = query["algorithm"].ToString();
        var search = query["search"].ToString();
        var owner = query["owner"].ToString();
        if (owner.Length > 0 && !grant.Allows(owner))
        {
            throw new BadRequestFieldException("owner", $"owner: this API key may not see owner '{owner}'.");
        }

        var known = await reader.OwnersAsync();
        var visible = grant.AllOwners ? known : [.. grant.Owners.Order(StringComparer.Ordinal)];
        var owners = owner.Length > 0 ? [owner] : visible;
        var studies = (await Task.WhenAll(owners.Select(reader.StudiesAsync))).SelectMany(x => x)
            .Where(x => state is null || x.Study.State == state)
            .Where(x => algorithm.Length == 0 || string.Equals(x.Study.Config.Algorithm, algorithm, StringComparison.OrdinalIgnoreCase))
            .Where(x => search.Length == 0 || x.Study.StudyId.Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(x => x.Study.CreateTime).ThenBy(x => x.Study.Name, StringComparer.Ordinal)
            .ToList();
        var summaries = studies.Skip((page - 1) * pageSize).Take(pageSize).Select(x => Summary(x, hub)).ToList();
        return new StudyPage(studies.Count, page, pageSize, visible, summaries);
    }

    private static async Task<StudyDetail> GetStudyAsync(string owner, string studyId, StudyReader reader, StudyEventHub hub)
    {
        var study = await reader.Study(Name(owner, studyId)).GetAsync();
        return new StudyDetail(Summary(study, await reader.TrialsAsync(study.Name), hub), study.Config, [.. study.Metadata.Items]);
    }

    private static async Task<StudySummary> SetStateAsync(string owner, string studyId, SetStateRequest? body, StudyReader reader, StudyEventHub hub)
    {
        if (body?.State is not { Length: > 0 } text)
        {
            throw new BadRequestFieldException("state", "state: the body must be {\"state\": \"ACTIVE\" | \"INACTIVE\" | \"COMPLETED\"}.");
        }

        var name = Name(owner, studyId);
        // A state change leaves the trials as they are, so the cached trial list stays valid.
        var study = await reader.Study(name).SetStateAsync(Paging.Enum<StudyState>(text, "state"));
        return Summary(study, await reader.TrialsAsync(name), hub);
    }

    private static async Task<IResult> DeleteStudyAsync(string owner, string studyId, StudyReader reader)
    {
        var name = Name(owner, studyId);
        await reader.Study(name).GetAsync();
        await reader.Study(name).DeleteAsync();
        reader.Invalidate(name, deleted: true);
        return TypedResults.NoContent();
    }

    private static async Task<TrialPage> ListTrialsAsync(string owner, string studyId, HttpContext http, StudyReader reader)
    {
        var name = Name(owner, studyId);
        var config = await reader.ConfigAsync(name);
        var query = TrialQuery.Parse(http.Request.Query, config);
        var (page, total) = query.Apply(await reader.TrialsAsync(name));
        return new TrialPage(total, query.Page, query.PageSize, [.. page.Select(t => TrialViews.Row(t, config))]);
    }

    private static async Task<TrialDetail> GetTrialAsync(string owner, string studyId, long trialId, StudyReader reader)
    {
        var name = Name(owner, studyId);
        var config = await reader.ConfigAsync(name);
        return TrialViews.Detail(await reader.Study(name).GetTrialAsync(trialId), config);
    }

    private static async Task<StudyPoints> GetPointsAsync(string owner, string studyId, StudyReader reader)
    {
        var grain = reader.Study(Name(owner, studyId));
        var study = await grain.GetAsync();
        var trials = await reader.TrialsAsync(study.Name);
        return StudyPointsBuilder.Build(study, trials, await grain.ListOptimalTrialsAsync());
    }

    private static async Task<LearningCurves> GetCurvesAsync(string owner, string studyId, HttpContext http, StudyReader reader)
    {
        var name = Name(owner, studyId);
        var config = await reader.ConfigAsync(name);
        var limit = Paging.Int(http.Request.Query, "limit", 200, 1, 5000);
        var metric = MetricOf(http.Request.Query, "metric", config);
        var withCurves = (await reader.WholeTrialsAsync(name)).Where(t => t.Measurements.Any(x => x.Metrics.ContainsKey(metric))).ToList();

        // Up to half the curves are stopped trials (what the plot is about), the rest the most recent ones.
        List<Trial> shown = [.. withCurves.Where(TrialViews.WasStopped).TakeLast(limit / 2).Union(withCurves.TakeLast(limit)).OrderBy(t => t.Id).TakeLast(limit)];
        return new LearningCurves(metric, withCurves.Count, [.. shown.Select(t =>
        {
            var points = t.Measurements.Where(x => x.Metrics.ContainsKey(metric)).ToList();
            return new LearningCurve(t.Id, TrialViews.WasStopped(t), [.. points.Select(x => x.Steps)], [.. points.Select(x => x.Metrics[metric])]);
        })]);
    }

    private static async Task<ParameterImportances> GetImportanceAsync(string owner, string studyId, HttpContext http, StudyReader reader)
    {
        var name = Name(owner, studyId);
        var config = await reader.ConfigAsync(name);
        var objective = MetricOf(http.Request.Query, "objective", config);
        return ParameterImportanceAnalysis.Compute(config, await reader.TrialsAsync(name), objective);
    }

    private static async Task<IResult> ExportCsvAsync(string owner, string studyId, StudyReader reader)
    {
        var name = Name(owner, studyId);
        var config = await reader.ConfigAsync(name);
        var csv = TrialExport.Csv(config, await reader.TrialsAsync(name));
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"{owner}-{studyId}-trials.csv");
    }

    private static async Task<IReadOnlyList<TrialDetail>> ExportJsonAsync(string owner, string studyId, HttpContext http, StudyReader reader)
    {
        var name = Name(owner, studyId);
        var config = await reader.ConfigAsync(name);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{owner}-{studyId}-trials.json\"";
        return [.. (await reader.WholeTrialsAsync(name)).Select(t => TrialViews.Detail(t, config))];
    }

    private static async Task Events(HttpContext http, StudyEventHub hub, StudyReader reader, IOptions<JsonOptions> json, string? study = null)
    {
        var grant = GrantOf(http);
        if (study is not null)
        {
            var (owner, _) = ParseStudyField(study);
            if (!grant.Allows(owner))
            {
                throw new BadRequestFieldException("study", $"study: this API key may not see owner '{owner}'.");
            }
        }

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var cancellation = http.RequestAborted;
        var channel = hub.Open();
        try
        {
            // A comment first, so that the client sees the feed open before the first event.
            await response.WriteAsync(": connected\n\n", cancellation);
            await response.Body.FlushAsync(cancellation);
            while (!cancellation.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                StudyEvent item;
                try
                {
                    item = await channel.Reader.ReadAsync(heartbeat.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    await response.WriteAsync(": heartbeat\n\n", cancellation);
                    await response.Body.FlushAsync(cancellation);
                    continue;
                }

                // One study's feed was checked against the key above; otherwise the owner is parsed out of the
                // event's study name only for a key that does not see every owner.
                if (study is not null ? item.StudyName != study : !grant.AllOwners && !grant.Allows(item.Owner))
                {
                    continue;
                }

                var view = new StudyEventView(item.Kind, item.StudyName, item.Time, item.StudyState, await RowAsync(item, reader));
                var data = JsonSerializer.Serialize(view, json.Value.SerializerOptions);
                await response.WriteAsync($"event: {Paging.Spell(item.Kind.ToString())}\ndata: {data}\n\n", cancellation);
                await response.Body.FlushAsync(cancellation);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // The browser went away, or the host is stopping.
        }
        finally
        {
            hub.Close(channel);
        }
    }

    private static async Task<TrialRow?> RowAsync(StudyEvent item, StudyReader reader)
    {
        if (item.Trial is not { } trial)
        {
            return null;
        }

        try
        {
            return TrialViews.Row(trial, await reader.ConfigAsync(item.StudyName));
        }
        catch (NotFoundException)
        {
            // Deleted meanwhile: the row is shown without its safety flag.
            return TrialViews.Row(trial, new StudyConfig());
        }
    }

    // The studies list answers from the owner's summaries: listing 50 studies must not activate them and read every
    // one of their trials (at 100,000 trials a study that is seconds of storage reads).
    private static StudySummary Summary(Grains.Interfaces.Model.StudySummary listed, StudyEventHub hub)
    {
        var study = listed.Study;
        return new StudySummary(study.Name, study.Owner, study.StudyId, study.State, study.StateReason, study.Config.Algorithm, study.CreateTime,
            SpelledCounts(listed.TrialCounts), new SortedDictionary<string, double>(listed.Best, StringComparer.Ordinal), Math.Round(hub.TrialsPerSecond(study.Name), 2));
    }

    private static StudySummary Summary(StudyInfo study, IReadOnlyList<Trial> trials, StudyEventHub hub)
    {
        // Count by state first and spell each state once: spelling per trial cost a string conversion for every trial
        // of every listed study.
        var byState = new Dictionary<TrialState, int>();
        foreach (var t in trials)
        {
            byState[t.State] = byState.GetValueOrDefault(t.State) + 1;
        }

        var counts = SpelledCounts(byState);
        var best = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var objective in study.Config.Objectives)
        {
            var values = trials
                .Where(t => t.State == TrialState.Succeeded && !TrialViews.IsUnsafe(t, study.Config) && t.FinalMeasurement!.Metrics.ContainsKey(objective.Name))
                .Select(t => t.FinalMeasurement!.Metrics[objective.Name]).ToList();
            if (values.Count > 0)
            {
                best[objective.Name] = objective.Goal == MetricGoal.Maximize ? values.Max() : values.Min();
            }
        }

        return new StudySummary(study.Name, study.Owner, study.StudyId, study.State, study.StateReason, study.Config.Algorithm, study.CreateTime,
            counts, best, Math.Round(hub.TrialsPerSecond(study.Name), 2));
    }

    // Every state spelled as the API spells it (zeros included), and TOTAL.
    private static SortedDictionary<string, int> SpelledCounts(IReadOnlyDictionary<TrialState, int> byState)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var state in Enum.GetValues<TrialState>())
        {
            counts[Paging.Spell(state.ToString())] = byState.GetValueOrDefault(state);
        }

        counts["TOTAL"] = byState.Values.Sum();
        return counts;
    }

    /// <summary>The metric named by query field <paramref name="field"/>, the study's first objective when absent.</summary>
    private static string MetricOf(IQueryCollection query, string field, StudyConfig config)
    {
        var metric = query[field].ToString() is { Length: > 0 } m ? m : config.Objectives.First().Name;
        return config.Metrics.Any(x => x.Name == metric)
            ? metric
            : throw new BadRequestFieldException(field, $"{field}: '{metric}' is not a metric of the study.");
    }

    private static string Name(string owner, string studyId)
    {
        try
        {
            return ResourceNames.Study(owner, studyId);
        }
        catch (InvalidArgumentException e)
        {
            throw new BadRequestFieldException(e.Message.StartsWith("owner", StringComparison.Ordinal) ? "owner" : "studyId", e.Message);
        }
    }

    private static (string Owner, string StudyId) ParseStudyField(string study)
    {
        try
        {
            return ResourceNames.ParseStudy(study);
        }
        catch (InvalidArgumentException e)
        {
            throw new BadRequestFieldException("study", "study: " + e.Message);
        }
    }
}
