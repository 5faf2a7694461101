using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>Namespaces: the <c>kubernetes</c> finalizer and phase Active on create.</summary>
internal sealed class NamespaceStrategy : ResourceStrategy
{
    /// <summary>The phase of a live namespace.</summary>
    public const string Active = "Active";

    /// <summary>The phase of a namespace being deleted.</summary>
    public const string Terminating = "Terminating";

    public override bool HasStatus => true;

    public override bool DeletesWhenFinalized => false;

    public override void Default(KubeObject obj)
    {
        var ns = (Namespace)obj;
        ns.Spec ??= new NamespaceSpec();
        ns.Spec.Finalizers ??= ["kubernetes"];
    }

    public override void PrepareForCreate(KubeObject obj) => ((Namespace)obj).Status = new NamespaceStatus { Phase = Active };

    public override void PrepareForUpdate(KubeObject obj, KubeObject old) => ((Namespace)obj).Status = ((Namespace)old).Status;

    public override void PrepareForStatusUpdate(KubeObject obj, KubeObject old) => ((Namespace)obj).Spec = ((Namespace)old).Spec;

    protected override string? KindFieldValue(KubeObject obj, string field) => field switch
    {
        "status.phase" => ((Namespace)obj).Status?.Phase ?? "",
        _ => null,
    };
}
