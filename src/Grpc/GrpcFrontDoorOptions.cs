using System.ComponentModel.DataAnnotations;

namespace VizierOrleans.Grpc;

/// <summary>
/// The gRPC front door's settings, bound from the <c>Vizier:Grpc</c> configuration section (environment variables
/// <c>Vizier__Grpc__Port</c>, <c>Vizier__Grpc__ApiKeys__0__Key</c>, ...) by the silo and by the standalone front door.
/// </summary>
public sealed class GrpcFrontDoorOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Vizier:Grpc";

    /// <summary>The HTTP/2 port that serves <c>vizier.VizierService</c> (0: off). Plaintext (h2c) unless a certificate is set.</summary>
    [Range(0, 65535, ErrorMessage = Section + ":Port must be 0 (off) or a TCP port.")]
    public int Port { get; set; } = 50051;

    /// <summary>A PFX/PEM certificate file: when set, the port serves TLS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The certificate's password, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// The largest request and response message, in bytes (the gRPC default the OSS client also uses). A list that
    /// would be larger is refused with RESOURCE_EXHAUSTED unless the caller pages it.
    /// </summary>
    [Range(1024, int.MaxValue, ErrorMessage = Section + ":MaxMessageBytes must be at least 1024.")]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The most trials or studies one page of a list call holds when the caller asks for pages.</summary>
    [Range(1, int.MaxValue, ErrorMessage = Section + ":MaxPageSize must be at least 1.")]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>API keys and the owners each may use. Empty: no check (local use).</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>How long a call to an external policy service (PYTHIA_ENDPOINT) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = Section + ":ExternalPolicyTimeout must be positive and at most an hour.")]
    public TimeSpan ExternalPolicyTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a call waits for its external policy service to accept the connection before it fails UNAVAILABLE: a
    /// policy service that is still starting (PyGlove starts its own next to the study) is waited for, as the reference
    /// server waits for its channel to be ready (10 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = Section + ":ExternalPolicyConnectTimeout must be positive and at most an hour.")]
    public TimeSpan ExternalPolicyConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Hosts (exact names), IP addresses and CIDR networks that a study's external policy endpoint may point at. Empty:
    /// any endpoint when no API keys are configured (local use), none when they are.
    /// </summary>
    public List<string> ExternalPolicyAllowList { get; set; } = [];

    /// <summary>The most channels to external policy services kept open at once.</summary>
    [Range(1, 100_000, ErrorMessage = Section + ":ExternalPolicyMaxChannels must be at least 1.")]
    public int ExternalPolicyMaxChannels { get; set; } = 64;

    /// <summary>A channel to an external policy service unused this long is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = Section + ":ExternalPolicyChannelIdleTimeout must be between a second and a day.")]
    public TimeSpan ExternalPolicyChannelIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long SuggestTrials waits for the suggestion before it returns an operation that is not done yet, which the
    /// client then polls with GetOperation (a slow policy is bound by its deadline, not by the call).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:20", ErrorMessage = Section + ":SuggestWait must be between 0 and 20 seconds (below the call timeout).")]
    public TimeSpan SuggestWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the front door keeps retrying a repeatable cluster call that met a passing fault (a silo that died, a
    /// storage blip) before it answers with the error; 0 turns retries off. The caller's deadline still ends the call.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = Section + ":RetryBudget must be between 0 (off) and 10 minutes.")]
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws, naming the setting, when the options cannot work (checked at startup rather than on the first call).</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new InvalidOperationException(string.Join(" ", results.Select(r => r.ErrorMessage)));
        }
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ExternalPolicyAllowList.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ExternalPolicyAllowList[i]))
            {
                yield return new ValidationResult($"{Section}:ExternalPolicyAllowList:{i} is empty; give a host name, an IP address or a CIDR network.", [nameof(ExternalPolicyAllowList)]);
            }
        }

        for (var i = 0; i < ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ApiKeys[i].Key) || string.IsNullOrWhiteSpace(ApiKeys[i].Owners))
            {
                yield return new ValidationResult($"{Section}:ApiKeys:{i} needs a non-empty Key and Owners (comma-separated owner ids, or *).", [nameof(ApiKeys)]);
            }
        }
    }
}

/// <summary>One API key: the secret a caller sends in the <c>x-vizier-api-key</c> header, and the owners it may act for.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The secret.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Comma-separated owner ids, or <c>*</c> for every owner.</summary>
    public string Owners { get; set; } = string.Empty;
}
