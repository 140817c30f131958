using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Owner;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains;

/// <summary>
/// One owner's study summaries, sent by the studies (<see cref="IOwnerGrain"/>). The root row counts the pages; each
/// page is a row of its own (same grain, state name <c>owner-page-N</c>) of at most <see cref="OwnerOptions.PageBytes"/>.
/// </summary>
/// <remarks>
/// Reentrant: updates change memory in one turn and then wait for a shared flush, so the updates of many studies that
/// arrive while a page is being written go out together in the next write (group commit) instead of one write each.
/// Readers may see an update a moment before its write is acknowledged; an update whose write fails is refused to its
/// study, which sends it again, so storage catches up.
/// </remarks>
[Reentrant, GrainType("owner")]
internal sealed partial class OwnerGrain(
    [PersistentState("owner", StorageNames.Vizier)] IPersistentState<OwnerRecord> root,
    IOptions<OwnerOptions> options,
    TimeProvider time,
    ILogger<OwnerGrain> logger) : Grain, IOwnerGrain
{
    // A study not confirmed this long after it announced its creation is asked what it holds.
    private static readonly TimeSpan ProvisionalGrace = TimeSpan.FromMinutes(1);

    // Removals are kept this long (well past any call timeout), so a late update sent before the delete is refused.
    private static readonly TimeSpan RemovalLifetime = TimeSpan.FromMinutes(10);

    private readonly OwnerPages _pages = new(options.Value.PageBytes);
    private readonly Dictionary<string, DateTimeOffset> _asked = new(StringComparer.Ordinal);
    private List<TaskCompletionSource> _waiting = [];
    private IGrainStorage _storage = null!;
    private bool _flushing;
    private bool _rootDirty;
    private bool? _inDirectory;

    private string Owner => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Vizier);
        var pages = await Task.WhenAll(Enumerable.Range(0, root.State.PageCount).Select(async n =>
        {
            var page = new GrainState<OwnerPageRecord>();
            await _storage.ReadStateAsync(PageName(n), this.GetGrainId(), page);
            return page;
        }));
        foreach (var page in pages)
        {
            _pages.Load(page.RecordExists ? page.State : null, page.ETag);
        }
    }

    /// <inheritdoc />
    public async Task<long> PublishAsync(StudySummaryUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (string.IsNullOrEmpty(update.StudyId))
        {
            throw new InvalidArgumentException("update.StudyId is empty.");
        }

        var current = _pages.Find(update.StudyId);
        if (current is not null && current.Version >= update.Version)
        {
            // A retry of what is held, or older than it.
            return current.Version;
        }

        if (current is null && update.Summary is null)
        {
            // Nothing to forget; an unknown study needs no removal kept.
            return update.Version;
        }

        var entry = new OwnerEntry { Version = update.Version, Provisional = update.Provisional, Received = time.GetUtcNow(), Summary = update.Summary };
        if (_pages.Put(update.StudyId, entry, entry.Received, RemovalLifetime) || _inDirectory != _pages.AnyStudy)
        {
            _rootDirty |= _pages.Count > root.State.PageCount;
            await FlushAsync();
        }

        return update.Version;
    }

    /// <inheritdoc />
    public async Task<StudySummaryPage> ListStudiesAsync(string? pageToken, int pageSize)
    {
        if (pageSize < 0)
        {
            throw new InvalidArgumentException($"pageSize must not be negative, was {pageSize}.");
        }

        await MigrateAsync();
        AskUnconfirmed();
        var listed = _pages.Listed;
        IEnumerable<string> ids = listed;
        if (!string.IsNullOrEmpty(pageToken))
        {
            ids = listed.Count == 0 || string.CompareOrdinal(pageToken, listed.Max) >= 0
                ? []
                : listed.GetViewBetween(pageToken, listed.Max!).SkipWhile(id => id == pageToken);
        }

        var take = pageSize == 0 ? int.MaxValue : pageSize;
        var page = ids.Take(take == int.MaxValue ? take : take + 1).Select(id => _pages.Find(id)!.Summary!).ToList();
        var more = page.Count > take;
        var studies = more ? page[..take] : page;
        return new StudySummaryPage { Studies = [.. studies], NextPageToken = more ? studies[^1].Study.StudyId : null };
    }

    // Studies listed by the owner before it kept summaries: each sends its summary once, then the old list goes.
    private async Task MigrateAsync()
    {
        if (root.State.StudyIds.Count == 0)
        {
            return;
        }

        var ids = root.State.StudyIds.Where(id => _pages.Find(id) is null).ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, TaskScheduler = TaskScheduler.Current }, async (id, _) =>
            await GrainFactory.GetGrain<IStudyGrain>(ResourceNames.Study(Owner, id)).RefreshSummaryAsync());
        root.State.StudyIds.Clear();
        _rootDirty = true;
        await FlushAsync();
        LogMigrated(logger, Owner, ids.Count);
    }

    // A creation the study never confirmed (its silo died between the two updates): the study says what it holds.
    private void AskUnconfirmed()
    {
        var now = time.GetUtcNow();
        foreach (var (id, entry) in _pages.Entries.Where(e => e.Value.Provisional && now - e.Value.Received > ProvisionalGrace).ToList())
        {
            if (_asked.TryGetValue(id, out var asked) && now - asked < ProvisionalGrace)
            {
                continue;
            }

            _asked[id] = now;
            LogAskingUnconfirmed(logger, Owner, id);
            GrainFactory.GetGrain<IStudyGrain>(ResourceNames.Study(Owner, id)).RefreshSummaryAsync().Ignore();
        }
    }

    // Every caller waits for a write that started after its change; changes that arrive during a write share the next one.
    private Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add(done);
        if (!_flushing)
        {
            _ = FlushLoopAsync();
        }

        return done.Task;
    }

    private async Task FlushLoopAsync()
    {
        _flushing = true;
        try
        {
            while (_waiting.Count > 0)
            {
                var batch = _waiting;
                _waiting = [];
                try
                {
                    await WriteAsync();
                    batch.ForEach(w => w.TrySetResult());
                }
                catch (Exception e)
                {
                    batch.ForEach(w => w.TrySetException(e));
                }
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    private async Task WriteAsync()
    {
        if (_rootDirty || root.State.PageCount < _pages.Count)
        {
            // Counted before a new page is written, so a reactivation reads every page that may exist.
            root.State.PageCount = Math.Max(root.State.PageCount, _pages.Count);
            _rootDirty = true;
            await Guard(root.WriteStateAsync());
            _rootDirty = false;
        }

        var dirty = _pages.TakeDirty();
        await Task.WhenAll(dirty.Select(async page =>
        {
            var state = new GrainState<OwnerPageRecord>(page.Record) { ETag = page.ETag, RecordExists = page.ETag is not null };
            try
            {
                await Guard(_storage.WriteStateAsync(PageName(page.Number), this.GetGrainId(), state));
                _pages.Written(page.Number, state.ETag);
            }
            catch
            {
                _pages.Unwritten(page.Number);
                throw;
            }
        }));

        // The directory of owners follows whether any study exists, from this single flush loop so its calls stay in order.
        var any = _pages.AnyStudy;
        if (_inDirectory != any)
        {
            var directory = GrainFactory.GetGrain<IOwnerDirectoryGrain>(IOwnerDirectoryGrain.Key);
            await (any ? directory.AddAsync(Owner) : directory.RemoveAsync(Owner));
            _inDirectory = any;
        }
    }

    private async Task Guard(Task write)
    {
        try
        {
            await write;
        }
        catch (InconsistentStateException)
        {
            // Storage holds rows newer than this activation knows: start again from storage.
            DeactivateOnIdle();
            throw;
        }
    }

    private static string PageName(int number) => $"owner-page-{number}";

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Owner {Owner}: asked {Count} studies listed before summaries for theirs")]
    private static partial void LogMigrated(ILogger logger, string owner, int count);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Owner {Owner}: study {StudyId} announced its creation but never confirmed it; asking it")]
    private static partial void LogAskingUnconfirmed(ILogger logger, string owner, string studyId);
}
