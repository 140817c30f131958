using System.Collections.Immutable;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Telemetry;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Keeps the owner's summary of this study current. Trial changes only mark it changed: one update goes out at most
/// every <c>SummaryInterval</c> (the staleness bound of counts and best values), so a busy study does not write its
/// owner's row per trial. Creation, state changes and deletes are sent at once. Updates go one at a time, each with a
/// higher version than the last (clock ticks, or one past what the owner holds when it refuses an update as older),
/// so a retried or late update never overwrites a newer one. Every activation sends one, so a summary lost with a
/// silo is mended when the study is next used.
/// </summary>
internal sealed class SummaryPublisher(StudyContext study, IGrainFactory grains, Func<Func<Task>, TimeSpan, IDisposable> schedule)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private IDisposable? _timer;
    private long _version;

    /// <summary>True while a change has not reached the owner.</summary>
    public bool Pending { get; private set; }

    private (string Owner, string StudyId) Key => ResourceNames.ParseStudy(study.Name);

    /// <summary>Something in the summary may have changed: it is sent within the summary interval.</summary>
    public void MarkChanged()
    {
        Pending = true;
        _timer ??= schedule(OnTimerAsync, study.Options.SummaryInterval);
    }

    /// <summary>Sends the summary of what is stored now; throws when the owner did not take it.</summary>
    public Task PublishAsync() => SendAsync(null);

    /// <summary>Sends the summary now, and when that fails leaves it to the next interval (the change itself is stored).</summary>
    public async Task TryPublishAsync()
    {
        try
        {
            await SendAsync(null);
        }
        catch (Exception e)
        {
            StudyLog.SummaryNotSent(study.Logger, e, study.Name);
            MarkChanged();
        }
    }

    /// <summary>Announces a study about to be created (listed once it is confirmed by the next update).</summary>
    public Task AnnounceAsync(StudyRecord record) => SendAsync(record);

    /// <summary>On deactivation: a pending change is sent if the owner takes it quickly.</summary>
    public async Task FlushAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (Pending)
        {
            try
            {
                await TryPublishAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                // The next activation sends it.
            }
        }

        StudyTrialGauge.Remove(study.Name);
    }

    private async Task OnTimerAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (Pending)
        {
            await TryPublishAsync();
        }
    }

    private async Task SendAsync(StudyRecord? announced)
    {
        await _oneAtATime.WaitAsync();
        try
        {
            Pending = false;
            var owner = grains.GetGrain<IOwnerGrain>(Key.Owner);
            for (var attempt = 0; ; attempt++)
            {
                _version = Math.Max(_version + 1, study.Time.GetUtcNow().UtcTicks);
                var update = new StudySummaryUpdate
                {
                    StudyId = Key.StudyId,
                    Version = _version,
                    Summary = (announced ?? study.Stored) is { } record ? Summarize(record) : Gone(),
                    Provisional = announced is not null,
                };
                var held = await owner.PublishAsync(update);
                if (held <= update.Version || attempt > 0)
                {
                    return;
                }

                // The owner holds a higher version (another activation's, or a clock ahead of ours): go past it.
                _version = held;
            }
        }
        catch
        {
            Pending = true;
            throw;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    // The study was deleted: its update removes it from the owner, and its counts leave the gauge.
    private StudySummary? Gone()
    {
        StudyTrialGauge.Remove(study.Name);
        return null;
    }

    private StudySummary Summarize(StudyRecord record)
    {
        var trials = study.Trials.All;
        var counts = new SortedDictionary<TrialState, int>();
        foreach (var t in trials)
        {
            counts[t.State] = counts.GetValueOrDefault(t.State) + 1;
        }

        var best = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var objective in record.Config.Objectives)
        {
            double? top = null;
            foreach (var t in trials)
            {
                if (t.State == TrialState.Succeeded && t.FinalMeasurement!.Metrics.TryGetValue(objective.Name, out var v) && Objectives.IsSafe(record.Config, t)
                    && (top is not { } current || Objectives.Oriented(objective, v) > Objectives.Oriented(objective, current)))
                {
                    top = v;
                }
            }

            if (top is { } value)
            {
                best[objective.Name] = value;
            }
        }

        var trialCounts = counts.ToImmutableSortedDictionary();
        StudyTrialGauge.Set(study.Name, trialCounts);
        return new StudySummary
        {
            Study = study.Info(record),
            TrialCounts = trialCounts,
            Best = best.ToImmutable(),
            UpdateTime = study.Time.GetUtcNow(),
        };
    }
}
