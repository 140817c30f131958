using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace VizierOrleans.Grpc;

/// <summary>Turns exceptions from the grains into gRPC statuses (and logs the unexpected ones).</summary>
internal sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            var rpc = StatusMapping.ToRpcException(e);
            if (rpc.StatusCode is StatusCode.Internal or StatusCode.Unavailable)
            {
                LogCallFailed(logger, e, context.Method, rpc.StatusCode);
            }

            throw rpc;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} failed with {Code}")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string method, StatusCode code);
}
