using System.Net.Sockets;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>A tcpSocket probe: success when a TCP connection is established within the timeout; it is closed at once.</summary>
public sealed class TcpProber
{
    private readonly TimeProvider _time;

    /// <summary>A TCP prober whose timeouts run on <paramref name="time"/> (the system clock by default).</summary>
    public TcpProber(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> within <paramref name="timeout"/>.</summary>
    public async Task<ProbeResult> ProbeAsync(string host, int port, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            return ProbeResult.Success();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ProbeResult.Failure($"dial tcp {HttpProber.JoinHostPort(host, port)}: i/o timeout after {timeout.TotalSeconds:0.###}s");
        }
        catch (SocketException e)
        {
            return ProbeResult.Failure($"dial tcp {HttpProber.JoinHostPort(host, port)}: {e.Message}");
        }
    }
}
