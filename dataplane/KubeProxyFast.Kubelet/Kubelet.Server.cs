using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Metrics;
using KubeProxyFast.Kubelet.Server;

namespace KubeProxyFast.Kubelet;

// The kubelet's API on :10250 (Server/), started last: it serves the pods the workers run.
public sealed partial class Kubelet
{
    /// <summary>The kubelet's metrics (<c>/metrics</c> of its API).</summary>
    public MetricsRegistry Metrics { get; } = new();

    /// <summary>The kubelet's API; null when <see cref="KubeletOptions.Server"/> is.</summary>
    public KubeletServer? ApiServer { get; private set; }

    private async Task StartServerAsync(KubeletLayout layout, CancellationToken cancellationToken)
    {
        if (Options.Server is not { } options)
        {
            return;
        }

        // As Kubernetes' kubelet_node_name: 1, labelled with the node it serves.
        Metrics.Gauge("kubelet_node_name", "The node's name. The count is always 1.", ["node"]).WithLabels(Options.NodeName).Set(1);
        var addresses = Description.Addresses.Select(a => IPAddress.TryParse(a.Address, out var ip) ? ip : null).OfType<IPAddress>().ToList();
        try
        {
            ApiServer = await KubeletServer.StartAsync(options, Client, Options.NodeName, layout.Pki, addresses, KnownPods, Metrics, LoggerFactory, Time, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new KubeletStartException(e.Message, e);
        }

        var server = ApiServer;
        _cleanup.Add(server.DisposeAsync);
    }

    /// <summary>
    /// The pods bound to this node as the kubelet knows them: the API's object with the status the
    /// kubelet last computed (copies: the informer's objects are shared and never changed).
    /// </summary>
    private List<Pod> KnownPods() =>
    [
        .. Pods.Lister.List().Select(pod => new Pod
        {
            Kind = "Pod",
            ApiVersion = "v1",
            Metadata = pod.Metadata,
            Spec = pod.Spec,
            Status = pod.Metadata.Uid is { } uid && PodStatus.TryGetPodStatus(uid, out var status) ? status : pod.Status,
        }),
    ];
}
