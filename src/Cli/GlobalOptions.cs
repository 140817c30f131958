using System.CommandLine;

namespace VizierOrleans.Cli;

/// <summary>The options every command takes (recursive on the root command).</summary>
internal static class GlobalOptions
{
    public const string DefaultEndpoint = "localhost:50051";

    public static readonly Option<string> Endpoint = new("--endpoint", "-e")
    {
        Description = "The Vizier gRPC endpoint: host:port or http://host:port (plaintext), https://host:port (TLS). Default VIZIER_ENDPOINT, else " + DefaultEndpoint + ".",
        Recursive = true,
        DefaultValueFactory = _ => FromEnvironment("VIZIER_ENDPOINT") ?? DefaultEndpoint,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "Sent as the x-vizier-api-key header. Default VIZIER_API_KEY.",
        Recursive = true,
        DefaultValueFactory = _ => FromEnvironment("VIZIER_API_KEY"),
    };

    public static readonly Option<string?> Owner = new("--owner")
    {
        Description = "The owner of studies named without one, and of `studies list`. Default VIZIER_OWNER.",
        Recursive = true,
        DefaultValueFactory = _ => FromEnvironment("VIZIER_OWNER"),
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON (the protocol's messages in protobuf's JSON mapping) instead of tables.",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Endpoint);
        root.Options.Add(ApiKey);
        root.Options.Add(Owner);
        root.Options.Add(Json);
    }

    private static string? FromEnvironment(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
