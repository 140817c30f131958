using System.Reflection;
using System.Text.Json.Nodes;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Hosting;
using VizierOrleans.Silo;

namespace VizierOrleans.Tests.Deployment;

public sealed class BicepTemplateTests(CompiledTemplateFixture arm) : IClassFixture<CompiledTemplateFixture>
{
    /// <summary>
    /// Silo settings the template leaves at their defaults: TLS is the front door ingress's job, the limits keep the
    /// protocol's defaults, and API keys (a list) are set on the front door app.
    /// </summary>
    private static readonly string[] DefaultedSiloSettings =
    [
        "Vizier__Grpc__CertificatePath", "Vizier__Grpc__CertificatePassword", "Vizier__Grpc__MaxMessageBytes",
        "Vizier__Grpc__MaxPageSize", "Vizier__Grpc__ExternalPolicyTimeout", "Vizier__Grpc__ExternalPolicyConnectTimeout", "Vizier__Grpc__ExternalPolicyMaxChannels",
        "Vizier__Grpc__ExternalPolicyChannelIdleTimeout", "Vizier__Grpc__SuggestWait", "Vizier__Grpc__RetryBudget", "Vizier__ShutdownTimeout",
    ];

    // List settings the template sets: their first item.
    private static readonly string[] ListSiloSettings = ["Vizier__Grpc__ExternalPolicyAllowList__0"];

    private IEnumerable<JsonObject> OfType(string type) =>
        arm.Resources().Where(r => string.Equals(r["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    private JsonObject App(string container) =>
        Assert.Single(OfType("Microsoft.App/containerApps"), a => a["properties"]!["template"]!["containers"]![0]!["name"]!.GetValue<string>() == container);

    private static HashSet<string> EnvNames(JsonObject app) =>
        app["properties"]!["template"]!["containers"]![0]!["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToHashSet();

    [Fact]
    public void Bicep_compiles_and_lints_without_errors_or_warnings()
    {
        Assert.True(arm.ExitCode == 0, arm.BuildOutput);
        Assert.Contains("no errors or warnings", arm.BuildOutput);
    }

    [Fact]
    public void Every_resource_the_design_needs_is_there()
    {
        Assert.Single(OfType("Microsoft.OperationalInsights/workspaces"));
        Assert.Single(OfType("Microsoft.Network/virtualNetworks"));
        Assert.Single(OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var environment = Assert.Single(OfType("Microsoft.App/managedEnvironments"));
        Assert.True(environment["properties"]!["vnetConfiguration"]!["internal"]!.GetValue<bool>());

        var storage = Assert.Single(OfType("Microsoft.Storage/storageAccounts"));
        Assert.False(storage["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        var tables = Assert.Single(OfType("Microsoft.Storage/storageAccounts/tableServices/tables"));
        Assert.NotNull(tables["copy"]);
        var storageModule = arm.Resources().Single(r => r["properties"]?["parameters"]?["tables"] is not null);
        Assert.Equal(["[variables('grainStateTable')]", "[variables('membershipTable')]"], storageModule["properties"]!["parameters"]!["tables"]!["value"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("VizierGrainState", arm.VariableOf(storageModule, "grainStateTable"));
        Assert.Equal("VizierMembership", arm.VariableOf(storageModule, "membershipTable"));
    }

    [Fact]
    public void Table_role_is_assigned_on_the_storage_account_only()
    {
        var assignment = Assert.Single(OfType("Microsoft.Authorization/roleAssignments"));
        Assert.Contains("Microsoft.Storage/storageAccounts", assignment["scope"]!.GetValue<string>());
        Assert.Contains("variables('tableDataContributorRoleId')", assignment["properties"]!["roleDefinitionId"]!.GetValue<string>());
        Assert.Equal("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", arm.VariableOf(assignment, "tableDataContributorRoleId"));
        Assert.Equal("ServicePrincipal", assignment["properties"]!["principalType"]!.GetValue<string>());
    }

    [Fact]
    public void Silo_apps_follow_the_orleans_guidance()
    {
        var app = App("silo");
        var properties = app["properties"]!;
        Assert.Equal(1, properties["template"]!["scale"]!["minReplicas"]!.GetValue<int>());
        Assert.Equal(1, properties["template"]!["scale"]!["maxReplicas"]!.GetValue<int>());
        Assert.Equal("Single", properties["configuration"]!["activeRevisionsMode"]!.GetValue<string>());
        var ingress = properties["configuration"]!["ingress"]!;
        Assert.Equal("tcp", ingress["transport"]!.GetValue<string>());
        Assert.False(ingress["external"]!.GetValue<bool>());
        Assert.Equal(2, ingress["additionalPortMappings"]!.AsArray().Count);
        Assert.Equal(60, properties["template"]!["terminationGracePeriodSeconds"]!.GetValue<int>());
        var probes = properties["template"]!["containers"]![0]!["probes"]!.AsArray();
        Assert.Equal(["Liveness", "Readiness", "Startup"], probes.Select(p => p!["type"]!.GetValue<string>()).Order());
        Assert.All(probes, p => Assert.Equal("/healthz", p!["httpGet"]!["path"]!.GetValue<string>()));
        Assert.Equal("UserAssigned", app["identity"]!["type"]!.GetValue<string>());

        // Unique ports per silo: each app gets its index added.
        var deployment = arm.Resources().First(r => r["name"]?.ToString().Contains("silo-", StringComparison.Ordinal) == true && r["copy"] is not null);
        Assert.Contains("add(11111", deployment["properties"]!["parameters"]!["siloPort"]!["value"]!.GetValue<string>());
        Assert.Contains("add(30000", deployment["properties"]!["parameters"]!["gatewayPort"]!["value"]!.GetValue<string>());
        Assert.Contains("add(50051", deployment["properties"]!["parameters"]!["grpcPort"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Front_door_serves_grpc_over_tls_with_an_api_key_from_a_secret()
    {
        var app = App("frontdoor");
        var properties = app["properties"]!;
        var ingress = properties["configuration"]!["ingress"]!;
        Assert.Equal("http2", ingress["transport"]!.GetValue<string>());
        Assert.False(ingress["allowInsecure"]!.GetValue<bool>());
        Assert.True(ingress["external"]!.GetValue<bool>());

        var env = properties["template"]!["containers"]![0]!["env"]!.AsArray();
        var key = Assert.Single(env, e => e!["name"]!.GetValue<string>() == "Vizier__Grpc__ApiKeys__0__Key")!;
        Assert.Null(key["value"]);
        Assert.Equal("api-key", key["secretRef"]!.GetValue<string>());

        // Client settings, named as the front door binds them (VizierClientOptions and GrpcFrontDoorOptions).
        Assert.Superset(
            new HashSet<string> { "Vizier__ClusterId", "Vizier__ServiceId", "Vizier__AzureTables__ServiceUri", "Vizier__AzureTables__ManagedIdentityClientId", "Vizier__AzureTables__TableName", "Vizier__Grpc__Port" },
            EnvNames(app));
        Assert.NotNull(typeof(VizierOrleans.ClientGateway.Hosting.VizierClientOptions).GetProperty("AzureTables")!.PropertyType.GetProperty("TableName"));
        var secret = Assert.Single(properties["configuration"]!["secrets"]!.AsArray())!;
        Assert.Equal("[parameters('apiKey')]", secret["value"]!.GetValue<string>());
        Assert.Equal("securestring", arm.Template["parameters"]!["frontDoorApiKey"]!["type"]!.GetValue<string>().ToLowerInvariant());
    }

    [Fact]
    public void Outputs_carry_what_a_worker_needs_and_no_secrets()
    {
        var outputs = arm.Template["outputs"]!.AsObject();
        Assert.Superset(new HashSet<string> { "tableEndpoint", "clusterId", "serviceId", "membershipTable", "gatewayEndpoints", "identityClientId" }, outputs.Select(o => o.Key).ToHashSet());
        foreach (var (name, output) in outputs)
        {
            Assert.DoesNotMatch("(?i)key|secret|password|connectionstring|token", name);
            Assert.DoesNotContain("listKeys", output!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.NotEqual("securestring", output!["type"]!.GetValue<string>().ToLowerInvariant());
        }
    }

    [Fact]
    public void Template_sets_exactly_the_environment_variables_the_silo_reads()
    {
        var env = EnvNames(App("silo"));
        Assert.Equal(SettingNames(typeof(SiloSettings), SiloSettings.Section).Except(DefaultedSiloSettings).Concat(ListSiloSettings).Append(VizierTelemetryHostingExtensions.AzureMonitorSetting).Order(), env.Order());
        Assert.NotNull(typeof(GrpcFrontDoorOptions).GetProperty(nameof(GrpcFrontDoorOptions.ExternalPolicyAllowList)));
    }

    [Fact]
    public void External_policies_are_limited_to_the_environment_network()
    {
        foreach (var app in new[] { App("silo"), App("frontdoor") })
        {
            var item = Assert.Single(app["properties"]!["template"]!["containers"]![0]!["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "Vizier__Grpc__ExternalPolicyAllowList__0")!;
            Assert.Equal("[parameters('policyNetwork')]", item["value"]!.GetValue<string>());
        }

        // Both modules get the environment VNet's address space.
        var passed = arm.Template.ToJsonString();
        Assert.Equal(2, passed.Split("outputs.addressPrefix.value").Length - 1);
    }

    [Fact]
    public void The_telemetry_parameter_creates_application_insights_on_the_workspace_and_hands_every_app_its_connection_string()
    {
        Assert.Equal("bool", arm.Template["parameters"]!["telemetry"]!["type"]!.GetValue<string>());
        Assert.False(arm.Template["parameters"]!["telemetry"]!["defaultValue"]!.GetValue<bool>());
        var insights = Assert.Single(OfType("Microsoft.Insights/components"));
        Assert.Equal("[parameters('telemetry')]", insights["condition"]!.GetValue<string>());
        Assert.Contains("logsWorkspaceId", insights["properties"]!["WorkspaceResourceId"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var container in new[] { "silo", "frontdoor" })
        {
            Assert.Contains(VizierTelemetryHostingExtensions.AzureMonitorSetting, EnvNames(App(container)));
        }

        var handedOver = OfType("Microsoft.Resources/deployments")
            .Select(d => d["properties"]?["parameters"]?["appInsightsConnection"]?.ToString())
            .Where(v => v is not null)
            .ToList();
        Assert.Equal(2, handedOver.Count);
        Assert.All(handedOver, v => Assert.Matches(@"^\[if\(parameters\('telemetry'\), createObject\('value', reference\(.*-insights.*\)\.ConnectionString\), createObject\('value', ''\)\)\]$", v));
    }

    /// <summary>The environment variable of every setting the silo binds, nested classes included.</summary>
    private static IEnumerable<string> SettingNames(Type type, string prefix) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && !(p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(List<>)))
            .SelectMany(p => p.PropertyType.IsClass && p.PropertyType != typeof(string)
                ? SettingNames(p.PropertyType, $"{prefix}__{p.Name}")
                : [$"{prefix}__{p.Name}"]);
}
