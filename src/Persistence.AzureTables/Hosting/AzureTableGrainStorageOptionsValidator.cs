using Microsoft.Extensions.Options;

namespace VizierOrleans.Persistence.AzureTables.Hosting;

/// <summary>Validates the options of the grain storage provider named <paramref name="name"/>.</summary>
internal sealed class AzureTableGrainStorageOptionsValidator(string name) : IValidateOptions<AzureTableGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? optionsName, AzureTableGrainStorageOptions options) =>
        optionsName != name ? ValidateOptionsResult.Skip
        : options.Problem($"Grain storage '{name}'") is { } problem ? ValidateOptionsResult.Fail(problem)
        : ValidateOptionsResult.Success;
}
