using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace VizierOrleans.Grpc;

/// <summary>
/// The optional API-key check: a caller sends its key in the <c>x-vizier-api-key</c> header; the key names the owners
/// it may act for, and the owner is read from the request's resource name (<c>parent</c>, <c>name</c> or
/// <c>trial_name</c>). No key or an unknown key: UNAUTHENTICATED; another owner's resource: PERMISSION_DENIED.
/// </summary>
internal sealed class ApiKeyInterceptor : Interceptor
{
    /// <summary>The request header that carries the key.</summary>
    public const string Header = "x-vizier-api-key";

    private static readonly string[] NameFields = ["parent", "name", "trial_name"];

    private readonly ApiKeyGrants _grants;

    /// <summary>Reads the keys from the options.</summary>
    public ApiKeyInterceptor(IOptions<GrpcFrontDoorOptions> options)
    {
        _grants = new ApiKeyGrants(options.Value.ApiKeys);
    }

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var key = context.RequestHeaders.GetValue(Header);
        if (_grants.Find(key) is not { } grant)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"{context.Method} needs a valid API key in the '{Header}' header."));
        }

        if (!grant.AllOwners)
        {
            var owner = OwnerOf(request);
            if (!grant.Allows(owner))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"This API key may not act for owner '{owner ?? "(none)"}'."));
            }
        }

        return continuation(request, context);
    }

    /// <summary>The owner named by the request's resource name field, or null.</summary>
    public static string? OwnerOf(object request)
    {
        if (request is not IMessage message)
        {
            return null;
        }

        foreach (var field in NameFields)
        {
            if (message.Descriptor.FindFieldByName(field)?.Accessor.GetValue(message) is string { Length: > 0 } name
                && name.StartsWith("owners/", StringComparison.Ordinal))
            {
                var end = name.IndexOf('/', 7);
                return end < 0 ? name[7..] : name[7..end];
            }
        }

        return null;
    }
}
