using System.Diagnostics;
using System.Text.Json.Nodes;

namespace VizierOrleans.Tests.Deployment;

/// <summary>Compiles deploy/bicep once (scripts/bicep-build.sh: the Bicep CLI from NuGet, lint included) for the tests.</summary>
public sealed class CompiledTemplateFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vizier-arm-").FullName;

    public JsonObject Template { get; private set; } = null!;

    public string BuildOutput { get; private set; } = "";

    public int ExitCode { get; private set; }

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "bicep-build.sh"));
        info.ArgumentList.Add(_folder);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        ExitCode = process.ExitCode;
        BuildOutput = await stdout + await stderr;
        var path = Path.Combine(_folder, "main.json");
        Template = File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject() : [];
    }

    /// <summary>Every resource of the template, nested module templates included.</summary>
    public IEnumerable<JsonObject> Resources() => Walk(Template).Select(r => r.Resource);

    /// <summary>The value of variable <paramref name="name"/> in the (module) template that declares <paramref name="resource"/>.</summary>
    public string? VariableOf(JsonObject resource, string name) =>
        Walk(Template).First(r => ReferenceEquals(r.Resource, resource)).Template["variables"]?[name]?.ToString();

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private static IEnumerable<(JsonObject Resource, JsonObject Template)> Walk(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(kv => kv.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return (resource, template);
            if (resource["properties"]?["template"] is JsonObject nested && resource["type"]?.GetValue<string>() == "Microsoft.Resources/deployments")
            {
                foreach (var inner in Walk(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
