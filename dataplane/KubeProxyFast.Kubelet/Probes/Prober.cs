using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// The default <see cref="IProber"/>: runs a probe's exec, httpGet or tcpSocket handler with the
/// probe's timeout. httpGet and tcpSocket go to the probe's host, else the pod IP; their port is a
/// number or the name of one of the container's ports. A probe that cannot be made (unknown port
/// name, no pod IP, no handler) is a failure whose message says why.
/// </summary>
public sealed class Prober : IProber, IDisposable
{
    private readonly ExecProber _exec;
    private readonly HttpProber _http;
    private readonly TcpProber _tcp;

    /// <summary>A prober running exec probes through <paramref name="runtime"/>.</summary>
    public Prober(RuntimeService.RuntimeServiceClient runtime, TimeProvider? time = null)
    {
        _exec = new ExecProber(runtime);
        _http = new HttpProber(time);
        _tcp = new TcpProber(time);
    }

    /// <inheritdoc />
    public Task<ProbeResult> ProbeAsync(Probe probe, ProbeTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(target);
        var timeout = ProbeTiming.Of(probe, ProbeKind.Readiness).Timeout;
        if (probe.Exec is { } exec)
        {
            return _exec.ProbeAsync(target.ContainerId, exec.Command, timeout, ct);
        }

        if (probe.HttpGet is { } http)
        {
            if (!Endpoint(http.Host, http.Port, target, out var host, out var port, out var error))
            {
                return Task.FromResult(ProbeResult.Failure($"httpGet probe: {error}"));
            }

            return _http.ProbeAsync(HttpProber.UrlOf(http.Scheme, host, port, http.Path), http.HttpHeaders, timeout, ct);
        }

        if (probe.TcpSocket is { } tcp)
        {
            if (!Endpoint(tcp.Host, tcp.Port, target, out var host, out var port, out var error))
            {
                return Task.FromResult(ProbeResult.Failure($"tcpSocket probe: {error}"));
            }

            return _tcp.ProbeAsync(host, port, timeout, ct);
        }

        return Task.FromResult(ProbeResult.Failure("probe has no exec, httpGet or tcpSocket handler"));
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static bool Endpoint(string? probeHost, Api.Meta.IntOrString probePort, ProbeTarget target, out string host, out int port, out string error)
    {
        host = string.IsNullOrEmpty(probeHost) ? target.PodIP ?? "" : probeHost;
        port = 0;
        if (host.Length == 0)
        {
            error = "the pod has no IP yet and the probe names no host";
            return false;
        }

        if (ProbePort.Resolve(probePort, target.Ports, out error) is not { } number)
        {
            return false;
        }

        port = number;
        return true;
    }
}
