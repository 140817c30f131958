using System.Diagnostics;

namespace VizierOrleans.Tests.Persistence;

/// <summary>
/// A network namespace joined to this one by a veth pair (<see cref="HostIp"/> on this side, <see cref="NamespaceIp"/>
/// inside), for processes that must look like another machine; removed on dispose. Needs root and iproute2.
/// </summary>
internal sealed class TestNetwork : IAsyncDisposable
{
    private readonly string _hostLink;

    private TestNetwork(string ns, string hostLink, string hostIp, string namespaceIp)
    {
        Namespace = ns;
        _hostLink = hostLink;
        HostIp = hostIp;
        NamespaceIp = namespaceIp;
    }

    /// <summary>The namespace's name (for <c>ip netns exec</c>).</summary>
    public string Namespace { get; }

    /// <summary>This side's address.</summary>
    public string HostIp { get; }

    /// <summary>The address inside the namespace.</summary>
    public string NamespaceIp { get; }

    // Test collections run in parallel: two networks created at once must not pick the same subnet.
    private static readonly SemaphoreSlim Creating = new(1, 1);

    /// <summary>Creates namespace <c>vz{id}</c> on a random 10.231.x.0/24 subnet that no interface of this host uses.</summary>
    public static async Task<TestNetwork> CreateAsync(string id)
    {
        await Creating.WaitAsync();
        try
        {
            // Two host-side links on one subnet would send a namespace's replies down the wrong link.
            var used = await IpAsync("-4", "-o", "addr", "show");
            var free = Enumerable.Range(100, 150).Where(n => !used.Contains($" 10.231.{n}.", StringComparison.Ordinal)).ToList();
            var subnet = free[Random.Shared.Next(free.Count)];
            return await CreateAsync(id, subnet);
        }
        finally
        {
            Creating.Release();
        }
    }

    private static async Task<TestNetwork> CreateAsync(string id, int subnet)
    {
        var network = new TestNetwork($"vz{id}", $"vzh{id}", $"10.231.{subnet}.1", $"10.231.{subnet}.2");
        var innerLink = $"vzw{id}";
        try
        {
            await IpAsync("netns", "add", network.Namespace);
            await IpAsync("link", "add", network._hostLink, "type", "veth", "peer", "name", innerLink);
            await IpAsync("link", "set", innerLink, "netns", network.Namespace);
            await IpAsync("addr", "add", $"{network.HostIp}/24", "dev", network._hostLink);
            await IpAsync("link", "set", network._hostLink, "up");
            await IpAsync("netns", "exec", network.Namespace, "ip", "addr", "add", $"{network.NamespaceIp}/24", "dev", innerLink);
            await IpAsync("netns", "exec", network.Namespace, "ip", "link", "set", innerLink, "up");
            await IpAsync("netns", "exec", network.Namespace, "ip", "link", "set", "lo", "up");
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes this side's end of the link down (a partition: nothing passes either way) or brings it back up.</summary>
    public Task SetLinkAsync(bool up) => IpAsync("link", "set", _hostLink, up ? "up" : "down");

    public async ValueTask DisposeAsync()
    {
        // Deleting the namespace deletes its end of the veth pair, and with it the other end.
        try
        {
            await IpAsync("netns", "del", Namespace);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<string> IpAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error} (this test needs root and iproute2)");
        }

        return await output;
    }
}
