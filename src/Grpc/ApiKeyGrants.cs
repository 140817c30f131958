using System.Security.Cryptography;
using System.Text;

namespace VizierOrleans.Grpc;

/// <summary>
/// The configured API keys and the owners each may act for (<see cref="GrpcFrontDoorOptions.ApiKeys"/>): one rule for
/// the gRPC front door and the dashboard. Keys are looked up by their SHA-256 hashes, so how long a lookup takes says
/// nothing about how much of a real key a guess shares, and the keys are not kept as plain strings in memory.
/// </summary>
public sealed class ApiKeyGrants
{
    /// <summary>The request header that carries the key (gRPC metadata and HTTP alike).</summary>
    public const string Header = "x-vizier-api-key";

    private readonly Dictionary<string, ApiKeyGrant> _grantsByKeyHash;

    /// <summary>Reads the keys.</summary>
    public ApiKeyGrants(IEnumerable<ApiKeyOptions> keys)
    {
        _grantsByKeyHash = keys.ToDictionary(k => Hash(k.Key), k =>
        {
            var owners = k.Owners.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return new ApiKeyGrant(owners.Contains("*"), owners.Where(o => o != "*").ToHashSet(StringComparer.Ordinal));
        });
    }

    /// <summary>True when keys are configured, so that every caller needs one.</summary>
    public bool Required => _grantsByKeyHash.Count > 0;

    /// <summary>What <paramref name="key"/> may do, or null for no key or an unknown key.</summary>
    public ApiKeyGrant? Find(string? key) =>
        !string.IsNullOrEmpty(key) && _grantsByKeyHash.TryGetValue(Hash(key), out var grant) ? grant : null;

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>What one API key may do.</summary>
/// <param name="AllOwners">The key may act for every owner (<c>*</c>).</param>
/// <param name="Owners">The owners it may act for otherwise.</param>
public sealed record ApiKeyGrant(bool AllOwners, IReadOnlySet<string> Owners)
{
    /// <summary>The grant of an open service (no keys configured): every owner.</summary>
    public static readonly ApiKeyGrant Open = new(true, new HashSet<string>());

    /// <summary>True when the key may act for <paramref name="owner"/>.</summary>
    public bool Allows(string? owner) => AllOwners || (owner is not null && Owners.Contains(owner));
}
