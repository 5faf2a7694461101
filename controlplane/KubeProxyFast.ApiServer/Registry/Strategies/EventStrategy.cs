using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>Events: selectable by the object they are about, which is how kubectl describe finds them.</summary>
internal sealed class EventStrategy : ResourceStrategy
{
    public override bool AllowCreateOnUpdate => true;

    public override GarbageCollectionPolicy DefaultGarbageCollectionPolicy => GarbageCollectionPolicy.Unsupported;

    protected override string? KindFieldValue(KubeObject obj, string field)
    {
        var e = (Event)obj;
        return field switch
        {
            "involvedObject.kind" => e.InvolvedObject.Kind ?? "",
            "involvedObject.namespace" => e.InvolvedObject.Namespace ?? "",
            "involvedObject.name" => e.InvolvedObject.Name ?? "",
            "involvedObject.uid" => e.InvolvedObject.Uid ?? "",
            "involvedObject.apiVersion" => e.InvolvedObject.ApiVersion ?? "",
            "involvedObject.resourceVersion" => e.InvolvedObject.ResourceVersion ?? "",
            "involvedObject.fieldPath" => e.InvolvedObject.FieldPath ?? "",
            "reason" => e.Reason ?? "",
            "source" => e.Source?.Component ?? "",
            "type" => e.Type ?? "",
            "reportingComponent" => e.ReportingComponent ?? "",
            _ => null,
        };
    }
}
