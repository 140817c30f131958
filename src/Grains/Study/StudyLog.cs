using Microsoft.Extensions.Logging;

namespace VizierOrleans.Grains.Study;

/// <summary>The study grain's log messages.</summary>
internal static partial class StudyLog
{
    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Created {Study} with algorithm {Algorithm}")]
    public static partial void StudyCreated(ILogger logger, string study, string algorithm);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "Deleted {Study} and its {TrialCount} trials")]
    public static partial void StudyDeleted(ILogger logger, string study, int trialCount);

    [LoggerMessage(EventId = 1803, Level = LogLevel.Information, Message = "{Study} completed: {Reason}")]
    public static partial void StudyCompleted(ILogger logger, string study, string reason);

    [LoggerMessage(EventId = 1804, Level = LogLevel.Warning, Message = "{Study} exists with a different config; returning the stored study: {Difference}")]
    public static partial void ConfigMismatch(ILogger logger, string study, string difference);

    [LoggerMessage(EventId = 1805, Level = LogLevel.Information, Message = "Stopping {Trial}: {Reason}")]
    public static partial void TrialStopped(ILogger logger, string trial, string reason);

    [LoggerMessage(EventId = 1806, Level = LogLevel.Warning, Message = "{Trial}: worker {ClientId} silent for {Silence}; the trial goes back to the REQUESTED pool")]
    public static partial void LeaseExpired(ILogger logger, string trial, string clientId, TimeSpan silence);

    [LoggerMessage(EventId = 1807, Level = LogLevel.Debug, Message = "{Study} activated with {TrialCount} trials")]
    public static partial void TrialsLoaded(ILogger logger, string study, int trialCount);

    [LoggerMessage(EventId = 1808, Level = LogLevel.Warning, Message = "{Study}: {Failed} of {Count} new trials were not stored; their ids are skipped")]
    public static partial void TrialsNotStored(ILogger logger, Exception failure, string study, int failed, int count);

    [LoggerMessage(EventId = 1809, Level = LogLevel.Warning, Message = "{Study}: deleting failed half-way; {Left} trials are still stored")]
    public static partial void DeleteIncomplete(ILogger logger, Exception failure, string study, int left);

    [LoggerMessage(EventId = 1810, Level = LogLevel.Warning, Message = "{Study}: another activation of the study created trial ids this one allocated (a failover); this activation is stale and deactivates, the next call reloads")]
    public static partial void StaleActivation(ILogger logger, Exception conflict, string study);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "{Study}: the external policy service at {Endpoint} failed; the suggestion failed and nothing was created: {Failure}")]
    public static partial void ExternalPolicyFailed(ILogger logger, string study, string endpoint, string failure);

    [LoggerMessage(EventId = 1811, Level = LogLevel.Warning, Message = "{Study}: the owner did not take the study's summary; it is sent again within the summary interval")]
    public static partial void SummaryNotSent(ILogger logger, Exception exception, string study);

    [LoggerMessage(EventId = 1820, Level = LogLevel.Warning, Message = "{Study}: trial block {Block} was not sealed; the next activation reads its trial rows")]
    public static partial void BlockNotSealed(ILogger logger, Exception exception, string study, long block);

    [LoggerMessage(EventId = 1821, Level = LogLevel.Debug, Message = "{Study}: the summary of trial block {Block} changed since its rows were read; not written")]
    public static partial void BlockSealRefused(ILogger logger, string study, long block);
}
