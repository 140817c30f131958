using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace VizierOrleans.Tests;

/// <summary>
/// A silo running as its own OS process (the real host, src/Silo), for tests that kill or restart silos. Settings are
/// passed as <c>Vizier__*</c> environment variables; ports are free loopback ports chosen per instance.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SiloProcess(Process process, int siloPort, int gatewayPort, int healthPort, int grpcPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HealthPort = healthPort;
        GrpcPort = grpcPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int HealthPort { get; }

    /// <summary>The port of the silo's gRPC front door (OSS Vizier's protocol, plaintext HTTP/2).</summary>
    public int GrpcPort { get; }

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Settings of a silo on Azure Table storage and membership: cluster and service id <paramref name="cluster"/>, tables
    /// <paramref name="tablePrefix"/>State and <paramref name="tablePrefix"/>Membership, warnings-only logging.
    /// </summary>
    public static Dictionary<string, string> AzureTableSettings(string cluster, string tablePrefix, string connectionString) => new()
    {
        ["Vizier__ClusterId"] = cluster,
        ["Vizier__ServiceId"] = cluster,
        ["Vizier__Clustering"] = "AzureTable",
        ["Vizier__Storage"] = "AzureTable",
        ["Vizier__AzureTables__ConnectionString"] = connectionString,
        ["Vizier__AzureTables__GrainStateTable"] = tablePrefix + "State",
        ["Vizier__AzureTables__MembershipTable"] = tablePrefix + "Membership",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>
    /// Starts a silo and waits until its health endpoint says it is an active cluster member. In
    /// <paramref name="networkNamespace"/> (<c>ip netns exec</c>), its health endpoint is probed at its
    /// <c>Vizier__AdvertisedIPAddress</c>.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan? timeout = null, string? workingDirectory = null, string? networkNamespace = null)
    {
        int siloPort = FreePort(), gatewayPort = FreePort(), healthPort = FreePort(), grpcPort = FreePort();
        var info = new ProcessStartInfo(networkNamespace is null ? "dotnet" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(RepositoryPaths.Output("src/Silo", "VizierOrleans.Silo"))!,
        };
        if (networkNamespace is not null)
        {
            // ip execs dotnet in the namespace: the process (and its id, for signals) is the silo's.
            foreach (var a in new[] { "netns", "exec", networkNamespace, "dotnet" })
            {
                info.ArgumentList.Add(a);
            }
        }

        info.ArgumentList.Add(RepositoryPaths.Output("src/Silo", "VizierOrleans.Silo"));
        info.Environment["Vizier__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Vizier__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Vizier__HealthPort"] = healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Vizier__AdvertisedIPAddress"] = "127.0.0.1";
        info.Environment["Vizier__Grpc__Port"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var silo = new SiloProcess(Process.Start(info)!, siloPort, gatewayPort, healthPort, grpcPort);
        var healthHost = networkNamespace is null ? "127.0.0.1" : settings["Vizier__AdvertisedIPAddress"];
        if (await HealthProbe.WaitAsync(healthPort, silo._process, timeout ?? TimeSpan.FromSeconds(60), healthHost))
        {
            return silo;
        }

        if (silo.HasExited)
        {
            throw new InvalidOperationException($"The silo exited with {silo._process.ExitCode}:\n{silo.Log}");
        }

        await silo.DisposeAsync();
        throw new TimeoutException($"The silo did not become healthy:\n{silo.Log}");
    }

    /// <summary>kill -9: no shutdown, no goodbye to the cluster.</summary>
    /// <summary>Sends <paramref name="signal"/> (for example STOP or CONT) to the silo process.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>A graceful stop (SIGTERM), waiting for the process to exit; killed when it has not after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan? timeout = null) => await TryStopAsync(timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>SIGTERM, then true when the process exits by itself within <paramref name="timeout"/> (else it is killed).</summary>
    public async Task<bool> TryStopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
