using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>
/// Replication controllers: selector and labels default to the template's labels, replicas to 1;
/// the generation counts spec changes and the status belongs to the controller.
/// </summary>
internal sealed class ReplicationControllerStrategy : ResourceStrategy
{
    public override bool HasStatus => true;

    /// <summary>v1 replication controllers orphan their pods unless told otherwise, as Kubernetes' strategy keeps for compatibility.</summary>
    public override GarbageCollectionPolicy DefaultGarbageCollectionPolicy => GarbageCollectionPolicy.OrphanDependents;

    public override void Default(KubeObject obj)
    {
        var rc = (ReplicationController)obj;
        if (rc.Spec is not { } spec)
        {
            return;
        }

        var templateLabels = spec.Template?.Metadata?.Labels;
        if (templateLabels is { Count: > 0 })
        {
            if (spec.Selector is null or { Count: 0 })
            {
                spec.Selector = new Dictionary<string, string>(templateLabels);
            }

            if (rc.Metadata.Labels is null or { Count: 0 })
            {
                rc.Metadata.Labels = new Dictionary<string, string>(templateLabels);
            }
        }

        spec.Replicas ??= 1;
        if (spec.Template?.Spec is { } podSpec)
        {
            PodStrategy.DefaultSpec(podSpec);
        }
    }

    public override void PrepareForCreate(KubeObject obj)
    {
        var rc = (ReplicationController)obj;
        rc.Status = new ReplicationControllerStatus();
        rc.Metadata.Generation = 1;
    }

    public override void PrepareForUpdate(KubeObject obj, KubeObject old)
    {
        var rc = (ReplicationController)obj;
        var before = (ReplicationController)old;
        rc.Status = before.Status;
        var generation = before.Metadata.Generation ?? 1;
        rc.Metadata.Generation = SpecChanged(rc, before) ? generation + 1 : generation;
    }

    public override void PrepareForStatusUpdate(KubeObject obj, KubeObject old)
    {
        var rc = (ReplicationController)obj;
        rc.Spec = ((ReplicationController)old).Spec;
        rc.Metadata.Generation = old.Metadata.Generation;
    }

    protected override string? KindFieldValue(KubeObject obj, string field) => field switch
    {
        "status.replicas" => (((ReplicationController)obj).Status?.Replicas ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static bool SpecChanged(ReplicationController rc, ReplicationController before) =>
        !Api.Serialization.KubeJson.SerializeToUtf8Bytes(rc.Spec ?? new ReplicationControllerSpec()).AsSpan()
            .SequenceEqual(Api.Serialization.KubeJson.SerializeToUtf8Bytes(before.Spec ?? new ReplicationControllerSpec()));
}
