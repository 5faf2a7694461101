using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Admission;

/// <summary>
/// Kubernetes' NodeRestriction admission: what the Node authorizer cannot see because it is in the
/// body or the stored object. A kubelet (<see cref="UserInfo.NodeName"/>) may create and change
/// only its own Node, without giving itself labels that steer workloads to it or changing its
/// taints (<see cref="NodeLabelPolicy"/>); write the status of, and delete, only pods bound to it,
/// with no change of their labels or node; create no pods; create only its own Lease. Requests of
/// other users pass untouched. Refusals are 403 worded as Kubernetes'
/// (<c>nodes "n1" is forbidden: node "n1" is not allowed to modify labels: …</c>).
/// </summary>
internal static partial class NodeRestriction
{
    /// <summary>Checks a create of <paramref name="obj"/> (its name already generated) by <paramref name="user"/>.</summary>
    public static void AdmitCreate(UserInfo user, ResourceDefinition resource, KubeObject obj)
    {
        if (user.NodeName is not { } node)
        {
            return;
        }

        var name = obj.Metadata.Name ?? "";
        if (resource == Resources.Nodes)
        {
            AdmitNodeCreate(node, (Api.Core.Node)obj);
        }
        else if (resource == Resources.Pods)
        {
            // Kubernetes lets a kubelet create the mirror pods of its static pods; ours runs no static pods.
            throw Refuse(resource, name, $"node \"{node}\" can not create pods");
        }
        else if (resource == Resources.Leases && name != node)
        {
            throw Refuse(resource, name, "can only access node lease with the same name as the requesting node");
        }
    }

    /// <summary>
    /// Checks an update (PUT or PATCH, of the object or of its <paramref name="subresource"/>) by
    /// <paramref name="user"/> from <paramref name="old"/> to <paramref name="updated"/>, after the
    /// strategy prepared it (what a status write cannot change is already reset).
    /// </summary>
    public static void AdmitUpdate(UserInfo user, ResourceDefinition resource, string subresource, KubeObject old, KubeObject updated)
    {
        if (user.NodeName is not { } node)
        {
            return;
        }

        var name = old.Metadata.Name ?? "";
        if (resource == Resources.Nodes)
        {
            AdmitNodeUpdate(node, (Api.Core.Node)old, (Api.Core.Node)updated);
        }
        else if (resource == Resources.Pods)
        {
            AdmitPodUpdate(node, subresource, (Pod)old, (Pod)updated);
        }
        else if (resource == Resources.Leases && name != node)
        {
            throw Refuse(resource, name, "can only access node lease with the same name as the requesting node");
        }
    }

    /// <summary>Checks a delete of <paramref name="name"/> by <paramref name="user"/>; <paramref name="existing"/> is the stored object, null when there is none (the delete then answers 404).</summary>
    public static void AdmitDelete(UserInfo user, ResourceDefinition resource, string name, KubeObject? existing)
    {
        if (user.NodeName is not { } node)
        {
            return;
        }

        if (resource == Resources.Nodes && name != node)
        {
            throw Refuse(resource, name, $"node \"{node}\" is not allowed to modify node \"{name}\"");
        }

        if (resource == Resources.Pods && existing is Pod pod && pod.Spec?.NodeName != node)
        {
            throw Refuse(resource, name, $"node \"{node}\" can only delete pods with spec.nodeName set to itself");
        }

        if (resource == Resources.Leases && name != node)
        {
            throw Refuse(resource, name, "can only access node lease with the same name as the requesting node");
        }
    }

    /// <summary>Only the status of a pod bound to the node, and not its labels or node through it.</summary>
    private static void AdmitPodUpdate(string node, string subresource, Pod old, Pod updated)
    {
        var name = old.Metadata.Name ?? "";
        if (subresource != "status")
        {
            throw Refuse(Resources.Pods, name, $"unexpected operation \"UPDATE\", node \"{node}\" can only update the status of its pods");
        }

        if (old.Spec?.NodeName != node)
        {
            throw Refuse(Resources.Pods, name, $"node \"{node}\" can only update pod status for pods with spec.nodeName set to itself");
        }

        if (updated.Spec?.NodeName != node)
        {
            throw Refuse(Resources.Pods, name, $"node \"{node}\" cannot change spec.nodeName");
        }

        if (!NodeLabelPolicy.SameLabels(old.Metadata.Labels, updated.Metadata.Labels))
        {
            throw Refuse(Resources.Pods, name, $"node \"{node}\" cannot update labels through pod status");
        }
    }

    private static StatusException Refuse(ResourceDefinition resource, string name, string why) =>
        StatusErrors.Forbidden(resource.QualifiedName, name, why);
}
