using Grpc.Core;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grpc;

/// <summary>Maps the service's exceptions onto gRPC status codes, so that clients see NOT_FOUND, INVALID_ARGUMENT and so on.</summary>
internal static class StatusMapping
{
    /// <summary>The status code for an exception.</summary>
    public static StatusCode CodeOf(Exception e) => e switch
    {
        RpcException rpc => rpc.StatusCode,
        VizierException v => (StatusCode)(int)v.Code,
        TimeoutException or OperationCanceledException => StatusCode.Unavailable,
        OrleansException or Orleans.Runtime.SiloUnavailableException => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };

    /// <summary>The message a client sees: the service's own for its errors, the type and message otherwise.</summary>
    public static string MessageOf(Exception e) => e switch
    {
        RpcException rpc => rpc.Status.Detail,
        VizierException v => v.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    /// <summary>The exception as an <see cref="RpcException"/>.</summary>
    public static RpcException ToRpcException(Exception e) =>
        e as RpcException ?? new RpcException(new Status(CodeOf(e), MessageOf(e)));
}
