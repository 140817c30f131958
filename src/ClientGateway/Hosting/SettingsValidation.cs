using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>
/// Checks settings by their data annotations before a host is built from them, so that a bad value stops the host at
/// start with the message naming it, before any provider trips over it with a message of its own.
/// </summary>
public static class SettingsValidation
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every failed rule of <paramref name="settings"/>.</summary>
    public static T ThrowIfInvalid<T>(T settings)
        where T : class
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(typeof(T).Name, typeof(T), results.Select(r => r.ErrorMessage ?? "invalid"));
        }

        return settings;
    }
}
