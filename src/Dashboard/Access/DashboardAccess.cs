using Microsoft.AspNetCore.Http;
using VizierOrleans.Grpc;

namespace VizierOrleans.Dashboard.Access;

/// <summary>
/// The dashboard's API-key rule, the gRPC front door's (<see cref="ApiKeyGrants"/>): with keys configured every API
/// call needs one in the <c>x-vizier-api-key</c> header and sees only the owners it names; without keys the API is open.
/// </summary>
internal sealed class DashboardAccess(ApiKeyGrants grants)
{
    /// <summary>True when callers need a key.</summary>
    public bool KeyRequired => grants.Required;

    /// <summary>The caller's grant, or null when a key is required and the request has no valid one.</summary>
    public ApiKeyGrant? GrantOf(HttpContext context) =>
        grants.Required ? grants.Find(context.Request.Headers[ApiKeyGrants.Header].FirstOrDefault()) : ApiKeyGrant.Open;
}
