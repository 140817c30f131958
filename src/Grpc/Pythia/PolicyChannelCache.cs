using Grpc.Net.Client;

namespace VizierOrleans.Grpc.Pythia;

/// <summary>
/// gRPC channels to external policy services, one per endpoint, bounded in number and closed when idle: endpoints
/// come from tenants' study specs, so an unbounded cache would grow with every endpoint ever named. When full, the
/// least recently used channel goes.
/// </summary>
internal sealed class PolicyChannelCache(GrpcFrontDoorOptions options, TimeProvider time) : IDisposable
{
    private readonly Dictionary<string, (GrpcChannel Channel, DateTimeOffset LastUse)> _channels = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The endpoints with an open channel.</summary>
    public IReadOnlyCollection<string> Endpoints
    {
        get
        {
            lock (_lock)
            {
                return [.. _channels.Keys];
            }
        }
    }

    /// <summary>The endpoint's channel, opened on first use once <paramref name="admit"/> has allowed the endpoint.</summary>
    public async Task<GrpcChannel> GetAsync(string endpoint, Func<Task> admit)
    {
        var now = time.GetUtcNow();
        var closing = new List<GrpcChannel>();
        lock (_lock)
        {
            EvictIdle(now, closing);
            if (_channels.TryGetValue(endpoint, out var open))
            {
                _channels[endpoint] = (open.Channel, now);
                Close(closing);
                return open.Channel;
            }
        }

        Close(closing);
        await admit();
        var channel = GrpcChannel.ForAddress(PolicyEndpointAllowList.AddressOf(endpoint, "endpoint"), new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxMessageBytes,
            MaxSendMessageSize = options.MaxMessageBytes,

            // A policy service that is starting is found within a fraction of a second, not after gRPC's 1 s-120 s backoff.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(200),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
        });
        lock (_lock)
        {
            if (_channels.TryGetValue(endpoint, out var raced))
            {
                closing.Add(channel);
                channel = raced.Channel;
            }
            else
            {
                while (_channels.Count >= options.ExternalPolicyMaxChannels)
                {
                    var oldest = _channels.MinBy(c => c.Value.LastUse);
                    _channels.Remove(oldest.Key);
                    closing.Add(oldest.Value.Channel);
                }

                _channels[endpoint] = (channel, now);
            }
        }

        Close(closing);
        return channel;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (channel, _) in _channels.Values)
            {
                channel.Dispose();
            }

            _channels.Clear();
        }
    }

    private void EvictIdle(DateTimeOffset now, List<GrpcChannel> closing)
    {
        foreach (var (endpoint, (channel, lastUse)) in _channels.Where(c => now - c.Value.LastUse > options.ExternalPolicyChannelIdleTimeout).ToList())
        {
            _channels.Remove(endpoint);
            closing.Add(channel);
        }
    }

    // A call may still be using an evicted channel: close it once the longest call could have ended.
    private void Close(List<GrpcChannel> channels)
    {
        foreach (var channel in channels)
        {
            _ = Task.Delay(options.ExternalPolicyTimeout, time).ContinueWith(_ => channel.Dispose(), TaskScheduler.Default);
        }

        channels.Clear();
    }
}
