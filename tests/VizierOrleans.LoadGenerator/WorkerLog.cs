namespace VizierOrleans.LoadGenerator;

/// <summary>What one worker saw: every trial handed to it, every completion acknowledged, latencies and errors.</summary>
public sealed class WorkerLog
{
    public string ClientId { get; set; } = "";

    public string Study { get; set; } = "";

    /// <summary>Trial ids handed to this worker by suggest.</summary>
    public List<long> HandedOut { get; set; } = [];

    /// <summary>Trial id -> the value whose completion the service acknowledged.</summary>
    public Dictionary<long, double> Acknowledged { get; set; } = [];

    /// <summary>Suggest latencies in milliseconds.</summary>
    public List<double> SuggestMs { get; set; } = [];

    /// <summary>(trial id, suggest latency in ms) of every suggest that handed out a trial: latency against study size.</summary>
    public List<(long TrialId, double Ms)> SuggestByTrial { get; set; } = [];

    /// <summary>Complete latencies in milliseconds.</summary>
    public List<double> CompleteMs { get; set; } = [];

    /// <summary>Error messages: every failed attempt the retry pipeline retried, and completions the service refused.</summary>
    public List<string> Errors { get; set; } = [];

    /// <summary>Calls that failed for good (not a passing fault, or past the retry time limit); each ended its worker.</summary>
    public List<string> Failures { get; set; } = [];
}
