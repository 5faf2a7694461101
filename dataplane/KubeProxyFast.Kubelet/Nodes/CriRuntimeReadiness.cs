using Grpc.Core;
using KubeProxyFast.Kubelet.Cri;
using KubeProxyFast.Kubelet.Cri.V1;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// The runtime's part of node readiness, as the kubelet judges it (<c>updateRuntimeUp</c>): CRI
/// <c>Status</c> must answer, with <c>RuntimeReady</c> and <c>NetworkReady</c> true. Messages are
/// the kubelet's: <c>container runtime is down: …</c>, <c>container runtime not ready:
/// RuntimeReady=false reason:… message:…</c>, <c>container runtime network not ready: NetworkReady=false …</c>.
/// </summary>
public sealed class CriRuntimeReadiness : INodeReadinessCheck
{
    private readonly CriConnection _cri;
    private readonly TimeSpan _timeout;

    /// <summary>Asks <paramref name="cri"/>, giving it <paramref name="timeout"/> to answer (2 s when null).</summary>
    public CriRuntimeReadiness(CriConnection cri, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(cri);
        _cri = cri;
        _timeout = timeout ?? TimeSpan.FromSeconds(2);
    }

    /// <inheritdoc />
    public async ValueTask<string?> CheckAsync(CancellationToken cancellationToken)
    {
        StatusResponse status;
        try
        {
            status = await _cri.Runtime.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow + _timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return $"container runtime is down: {e.Status.StatusCode}: {e.Status.Detail}";
        }

        return Judge(status.Status);
    }

    /// <summary>Null when both conditions are true, else the kubelet's message for the first that is not.</summary>
    public static string? Judge(RuntimeStatus? status)
    {
        if (status is null)
        {
            return "container runtime status check may not have completed yet: the runtime reported no status";
        }

        var runtime = status.Conditions.FirstOrDefault(c => c.Type == "RuntimeReady");
        var network = status.Conditions.FirstOrDefault(c => c.Type == "NetworkReady");
        if (runtime is not { Status: true })
        {
            return runtime is null ? "container runtime not ready: RuntimeReady condition missing" : "container runtime not ready: " + Describe(runtime);
        }

        if (network is not { Status: true })
        {
            return network is null ? "container runtime network not ready: NetworkReady condition missing" : "container runtime network not ready: " + Describe(network);
        }

        return null;
    }

    private static string Describe(RuntimeCondition condition) =>
        $"{condition.Type}={(condition.Status ? "true" : "false")} reason:{condition.Reason} message:{condition.Message}";
}
