using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>Nodes: cluster-scoped; the status is the kubelet's, written through nodes/status.</summary>
internal sealed class NodeStrategy : ResourceStrategy
{
    public override bool HasStatus => true;

    public override void PrepareForUpdate(KubeObject obj, KubeObject old) => ((Node)obj).Status = ((Node)old).Status;

    public override void PrepareForStatusUpdate(KubeObject obj, KubeObject old) => ((Node)obj).Spec = ((Node)old).Spec;

    protected override string? KindFieldValue(KubeObject obj, string field) => field switch
    {
        "spec.unschedulable" => ((Node)obj).Spec?.Unschedulable == true ? "true" : "false",
        _ => null,
    };
}
