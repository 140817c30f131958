using Microsoft.Extensions.DependencyInjection;

namespace VizierOrleans.ClientGateway.Hosting;

/// <summary>Registers the client's options so a bad setting stops the host at start, naming the setting.</summary>
public static class VizierClientServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="VizierClientOptions"/> from the <c>Vizier</c> section, applies <paramref name="configure"/>,
    /// and validates them (data annotations) when the host starts.
    /// </summary>
    public static IServiceCollection AddVizierClientOptions(this IServiceCollection services, Action<VizierClientOptions>? configure = null)
    {
        var options = services.AddOptions<VizierClientOptions>().BindConfiguration(VizierClientOptions.Section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
