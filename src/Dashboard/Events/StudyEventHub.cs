using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using VizierOrleans.Dashboard.Data;
using VizierOrleans.Grains.Interfaces.Events;

namespace VizierOrleans.Dashboard.Events;

/// <summary>
/// Subscribes this host to the cluster's study-event stream and hands each event to the open event feeds (one
/// channel per browser connection), the trial cache and the trials-per-second counters.
/// </summary>
internal sealed partial class StudyEventHub(IClusterClient cluster, StudyReader reader, TimeProvider time, ILogger<StudyEventHub> logger)
    : BackgroundService, IAsyncObserver<StudyEvent>
{
    /// <summary>The window of the trials-per-second figure.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Channel<StudyEvent>, byte> _feeds = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _completions = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the subscription is in place (tests wait for it before they change studies).</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Opens a feed: every event from now on, until <see cref="Close"/>. A slow reader loses the oldest events.</summary>
    public Channel<StudyEvent> Open()
    {
        var channel = Channel.CreateBounded<StudyEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _feeds.TryAdd(channel, 0);
        return channel;
    }

    /// <summary>Closes a feed.</summary>
    public void Close(Channel<StudyEvent> channel)
    {
        _feeds.TryRemove(channel, out _);
        channel.Writer.TryComplete();
    }

    /// <summary>Trials of the study completed per second over the last <see cref="RateWindow"/>.</summary>
    public double TrialsPerSecond(string studyName)
    {
        if (!_completions.TryGetValue(studyName, out var times))
        {
            return 0;
        }

        var since = time.GetUtcNow() - RateWindow;
        while (times.TryPeek(out var oldest) && oldest < since)
        {
            times.TryDequeue(out _);
        }

        return times.Count / RateWindow.TotalSeconds;
    }

    /// <inheritdoc />
    public Task OnNextAsync(StudyEvent item, StreamSequenceToken? token = null)
    {
        // A study's state change leaves its trials (and config) as they are: only other events drop the cached trials.
        if (item.Kind != StudyEventKind.StudyStateChanged)
        {
            reader.Invalidate(item.StudyName, deleted: item.Kind == StudyEventKind.StudyDeleted);
        }

        if (item.Kind == StudyEventKind.TrialCompleted)
        {
            _completions.GetOrAdd(item.StudyName, _ => new()).Enqueue(item.Time);
        }
        else if (item.Kind == StudyEventKind.StudyDeleted)
        {
            _completions.TryRemove(item.StudyName, out _);
        }

        foreach (var feed in _feeds.Keys)
        {
            feed.Writer.TryWrite(item);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The cluster may not be reachable yet (a front door starting before the silos): retry until it is.
        StreamSubscriptionHandle<StudyEvent>? handle = null;
        while (handle is null && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                var stream = cluster.GetStreamProvider(StudyEventStreams.Provider).GetStream<StudyEvent>(StudyEventStreams.Namespace, StudyEventStreams.Key);
                handle = await stream.SubscribeAsync(this);
                _subscribed.TrySetResult();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogSubscribeFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }

        if (handle is not null)
        {
            try
            {
                await handle.UnsubscribeAsync();
            }
            catch (Exception e)
            {
                LogSubscribeFailed(logger, e);
            }
        }

        foreach (var feed in _feeds.Keys)
        {
            Close(feed);
        }
    }

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "Subscribing to the study-event stream failed; retrying")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Warning, Message = "The study-event stream reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception);
}
