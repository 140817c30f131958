using System.Reflection;
using System.Text.Json.Nodes;
using VizierOrleans.Silo;

namespace VizierOrleans.Tests.Deployment;

public sealed class BicepTemplateTests(CompiledTemplateFixture arm) : IClassFixture<CompiledTemplateFixture>
{
    private IEnumerable<JsonObject> OfType(string type) =>
        arm.Resources().Where(r => string.Equals(r["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

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
        var app = Assert.Single(OfType("Microsoft.App/containerApps"));
        var properties = app["properties"]!;
        Assert.Equal(1, properties["template"]!["scale"]!["minReplicas"]!.GetValue<int>());
        Assert.Equal(1, properties["template"]!["scale"]!["maxReplicas"]!.GetValue<int>());
        Assert.Equal("Single", properties["configuration"]!["activeRevisionsMode"]!.GetValue<string>());
        var ingress = properties["configuration"]!["ingress"]!;
        Assert.Equal("tcp", ingress["transport"]!.GetValue<string>());
        Assert.False(ingress["external"]!.GetValue<bool>());
        Assert.Single(ingress["additionalPortMappings"]!.AsArray());
        Assert.Equal(60, properties["template"]!["terminationGracePeriodSeconds"]!.GetValue<int>());
        var probes = properties["template"]!["containers"]![0]!["probes"]!.AsArray();
        Assert.Equal(["Liveness", "Readiness", "Startup"], probes.Select(p => p!["type"]!.GetValue<string>()).Order());
        Assert.All(probes, p => Assert.Equal("/healthz", p!["httpGet"]!["path"]!.GetValue<string>()));
        Assert.Equal("UserAssigned", app["identity"]!["type"]!.GetValue<string>());

        // Unique ports per silo: each app gets its index added.
        var deployment = arm.Resources().First(r => r["name"]?.ToString().Contains("silo-", StringComparison.Ordinal) == true && r["copy"] is not null);
        Assert.Contains("add(11111", deployment["properties"]!["parameters"]!["siloPort"]!["value"]!.GetValue<string>());
        Assert.Contains("add(30000", deployment["properties"]!["parameters"]!["gatewayPort"]!["value"]!.GetValue<string>());
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
        var env = Assert.Single(OfType("Microsoft.App/containerApps"))["properties"]!["template"]!["containers"]![0]!["env"]!.AsArray()
            .Select(e => e!["name"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(SettingNames(typeof(SiloSettings), SiloSettings.Section).Order(), env.Order());
    }

    /// <summary>The environment variable of every setting the silo binds, nested classes included.</summary>
    private static IEnumerable<string> SettingNames(Type type, string prefix) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .SelectMany(p => p.PropertyType.IsClass && p.PropertyType != typeof(string)
                ? SettingNames(p.PropertyType, $"{prefix}__{p.Name}")
                : [$"{prefix}__{p.Name}"]);
}
