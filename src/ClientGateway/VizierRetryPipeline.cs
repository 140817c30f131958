using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using Orleans.Storage;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.ClientGateway;

/// <summary>
/// The one retry pipeline (Polly) for calls that are safe to repeat: suggest, complete, add measurement, should-stop,
/// reads, and create-trial with a request key. It retries only an allow-list of passing faults (<see cref="IsTransient"/>:
/// call timeouts, an unavailable silo or gateway, a lost connection, storage failures and ETag conflicts after a
/// failover), with jittered exponential backoff so that many workers do not retry in lockstep after a silo dies, and
/// gives up after a total time <see cref="Budget"/>, throwing the last error. Everything else (validation, not found,
/// precondition, programming errors) is thrown at once.
/// </summary>
/// <remarks>The worker loop, the load generator and the gRPC front door share this type, so they retry alike.</remarks>
public sealed partial class VizierRetryPipeline
{
    private static readonly ResiliencePropertyKey<Exception> LastError = new("vizier.last-error");
    private static readonly ResiliencePropertyKey<Action<Exception, TimeSpan>> Listener = new("vizier.retry-listener");

    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    /// <summary>Creates a pipeline.</summary>
    /// <param name="budget">Total time a call keeps retrying (default <see cref="DefaultBudget"/>); <see cref="TimeSpan.Zero"/> turns retries off.</param>
    /// <param name="timeProvider">The clock for delays and the budget (a fake one in tests).</param>
    /// <param name="logger">Hears of each retry.</param>
    public VizierRetryPipeline(TimeSpan? budget = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        Budget = budget ?? DefaultBudget;
        ArgumentOutOfRangeException.ThrowIfLessThan(Budget, TimeSpan.Zero, nameof(budget));
        _logger = logger ?? NullLogger.Instance;
        _pipeline = Budget == TimeSpan.Zero
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }
                .AddTimeout(new TimeoutStrategyOptions { Timeout = Budget })
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = FirstDelay,
                    MaxDelay = MaxDelay,
                    MaxRetryAttempts = int.MaxValue,
                    OnRetry = args =>
                    {
                        args.Context.Properties.Set(LastError, args.Outcome.Exception!);
                        RetryObserved?.Invoke(args.RetryDelay);
                        if (args.Context.Properties.TryGetValue(Listener, out var listener))
                        {
                            listener(args.Outcome.Exception!, args.RetryDelay);
                        }

                        LogRetry(_logger, args.Outcome.Exception!, args.AttemptNumber + 1, args.RetryDelay);
                        return default;
                    },
                })
                .Build();
    }

    /// <summary>The default total retry time: two minutes, longer than Orleans' membership takes to declare a silo dead.</summary>
    public static TimeSpan DefaultBudget { get; } = TimeSpan.FromMinutes(2);

    /// <summary>The median first delay; later ones double (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public static TimeSpan FirstDelay { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between two attempts.</summary>
    public static TimeSpan MaxDelay { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The pipeline with <see cref="DefaultBudget"/> and the system clock.</summary>
    public static VizierRetryPipeline Default { get; } = new();

    /// <summary>A pipeline that never retries.</summary>
    public static VizierRetryPipeline None { get; } = new(TimeSpan.Zero);

    /// <summary>The total time a call keeps retrying.</summary>
    public TimeSpan Budget { get; }

    /// <summary>Each retry's delay, for tests.</summary>
    internal Action<TimeSpan>? RetryObserved { get; set; }

    /// <summary>True for the passing faults another attempt may not meet; false for everything else.</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        VizierException v => v.Code == VizierErrorCode.Unavailable,
        TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException
            or GatewayTooBusyException or ClientNotAvailableException => true,

        // Storage was unreachable or throttled, or held newer state than the activation knew (a failover): the grain
        // reloads on the next call.
        InconsistentStateException => true,

        // Orleans wraps a storage provider's failure ("Error from storage provider ... during WriteStateAsync").
        OrleansException { InnerException: { } inner } when error.GetType() == typeof(OrleansException) => IsTransient(inner),
        _ => IsStorageFailure(error),
    };

    // The silo's Azure Table storage failure: the client library does not reference the storage assembly, so it may
    // arrive as Orleans' fallback for an unknown exception type.
    private static bool IsStorageFailure(Exception error) =>
        error.GetType().FullName == StorageFailureType
        || error is UnavailableExceptionFallbackException { ExceptionType: StorageFailureType };

    private const string StorageFailureType = "VizierOrleans.Persistence.AzureTables.Storage.TableStorageException";

    /// <summary>Runs <paramref name="call"/>, retrying passing faults until it succeeds, fails for good, or the budget is spent.</summary>
    public Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken = default) =>
        ExecuteAsync(call, onRetry: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="call"/> like <see cref="ExecuteAsync{T}(Func{CancellationToken, Task{T}}, CancellationToken)"/>,
    /// telling <paramref name="onRetry"/> of each failed attempt that will be retried (the error and the delay before
    /// the next attempt), so a caller can count the passing faults it met.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, Action<Exception, TimeSpan>? onRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        if (onRetry is not null)
        {
            context.Properties.Set(Listener, onRetry);
        }

        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, call) => await call(ctx.CancellationToken), context, call);
        }
        catch (TimeoutRejectedException) when (context.Properties.TryGetValue(LastError, out var last) && !cancellationToken.IsCancellationRequested)
        {
            // The budget ran out between attempts: the caller hears why the attempts failed, not that time ran out.
            ExceptionDispatchInfo.Capture(last).Throw();
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Runs <paramref name="call"/> like <see cref="ExecuteAsync{T}(Func{CancellationToken, Task{T}}, CancellationToken)"/>.</summary>
    public Task ExecuteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return ExecuteAsync(async ct =>
        {
            await call(ct);
            return true;
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "Attempt {Attempt} failed with a passing fault; retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, Exception error, int attempt, TimeSpan delay);
}
