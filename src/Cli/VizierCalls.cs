using Grpc.Core;
using VizierOrleans.Grpc.Protocol;
using VizierOrleans.Grpc.Protocol.LongRunning;

namespace VizierOrleans.Cli;

/// <summary>The protocol's calls as the tool uses them: whole lists over pages, and suggestions that may finish later.</summary>
internal static class VizierCalls
{
    /// <summary>Trials per ListTrials page; servers that do not page answer with every trial at once.</summary>
    public const int PageSize = 1000;

    /// <summary>Every trial of a study in id order, page by page.</summary>
    public static async Task<List<Trial>> ListAllTrialsAsync(this VizierService.VizierServiceClient client, string study, CancellationToken cancellationToken)
    {
        var trials = new List<Trial>();
        await foreach (var page in client.TrialPagesAsync(study, cancellationToken))
        {
            trials.AddRange(page);
        }

        return trials;
    }

    /// <summary>
    /// A study's trials one ListTrials page at a time, in id order; the next page is already asked for while the
    /// caller works on this one, so a long export waits on the service and the disk at the same time, not in turn.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<Trial>> TrialPagesAsync(this VizierService.VizierServiceClient client, string study, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task<ListTrialsResponse>? next = Page(string.Empty);
        while (next is not null)
        {
            var page = await next;
            next = page.NextPageToken.Length > 0 ? Page(page.NextPageToken) : null;
            yield return page.Trials;
        }

        Task<ListTrialsResponse> Page(string token) =>
            client.ListTrialsAsync(new ListTrialsRequest { Parent = study, PageSize = PageSize, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync;
    }

    /// <summary>Every study of an owner, page by page.</summary>
    public static async Task<List<Study>> ListAllStudiesAsync(this VizierService.VizierServiceClient client, string owner, CancellationToken cancellationToken)
    {
        var studies = new List<Study>();
        var token = string.Empty;
        do
        {
            var page = await client.ListStudiesAsync(new ListStudiesRequest { Parent = $"owners/{owner}", PageToken = token }, cancellationToken: cancellationToken);
            studies.AddRange(page.Studies);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return studies;
    }

    /// <summary>
    /// CreateStudy for the study resource name <paramref name="study"/> with <paramref name="spec"/> (create-or-load:
    /// an existing study with that id comes back as it is).
    /// </summary>
    public static Task<Study> CreateNamedStudyAsync(this VizierService.VizierServiceClient client, string study, StudySpec spec, CancellationToken cancellationToken) =>
        client.CreateStudyAsync(new CreateStudyRequest
        {
            Parent = $"owners/{StudyNames.OwnerOf(study)}",
            Study = new Study { DisplayName = StudyNames.IdOf(study), StudySpec = spec },
        }, cancellationToken: cancellationToken).ResponseAsync;

    /// <summary>The study, or null when the service says NOT_FOUND.</summary>
    public static async Task<Study?> FindStudyAsync(this VizierService.VizierServiceClient client, string study, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetStudyAsync(new GetStudyRequest { Name = study }, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// SuggestTrials, then GetOperation until the operation is done (a slow policy answers later, as the OSS client
    /// expects); an operation that ends in an error raises it as the call's status.
    /// </summary>
    public static async Task<SuggestTrialsResponse> SuggestAsync(this VizierService.VizierServiceClient client, string study, int count, string clientId, CancellationToken cancellationToken)
    {
        var operation = await client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study, SuggestionCount = count, ClientId = clientId }, cancellationToken: cancellationToken);
        var delay = TimeSpan.FromMilliseconds(50);
        while (!operation.Done)
        {
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            operation = await client.GetOperationAsync(new GetOperationRequest { Name = operation.Name }, cancellationToken: cancellationToken);
        }

        if (operation.ResultCase == Operation.ResultOneofCase.Error)
        {
            throw new RpcException(new Status((StatusCode)operation.Error.Code, $"suggestion operation {operation.Name} failed: {operation.Error.Message}"));
        }

        return operation.Response?.Unpack<SuggestTrialsResponse>() ?? new SuggestTrialsResponse();
    }
}
