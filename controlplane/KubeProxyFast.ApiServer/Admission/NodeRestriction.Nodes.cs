using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Admission;

internal static partial class NodeRestriction
{
    /// <summary>Its own Node only, registered without labels outside what kubelets may set.</summary>
    private static void AdmitNodeCreate(string node, Api.Core.Node created)
    {
        var name = created.Metadata.Name ?? "";
        if (name != node)
        {
            throw Refuse(Resources.Nodes, name, $"node \"{node}\" is not allowed to modify node \"{name}\"");
        }

        if (NodeLabelPolicy.Forbidden(created.Metadata.Labels, null) is { Length: > 0 } forbidden)
        {
            throw Refuse(Resources.Nodes, name, $"node \"{node}\" is not allowed to set the following labels: {forbidden}");
        }
    }

    /// <summary>Its own Node only, with its taints as they are and no label added, changed or removed outside what kubelets may set.</summary>
    private static void AdmitNodeUpdate(string node, Api.Core.Node old, Api.Core.Node updated)
    {
        var name = old.Metadata.Name ?? "";
        if (name != node)
        {
            throw Refuse(Resources.Nodes, name, $"node \"{node}\" is not allowed to modify node \"{name}\"");
        }

        // A node that could drop its taints would steer to itself the workloads they keep away.
        if (!SameTaints(old.Spec?.Taints, updated.Spec?.Taints))
        {
            throw Refuse(Resources.Nodes, name, $"node \"{node}\" is not allowed to modify taints");
        }

        if (NodeLabelPolicy.Forbidden(updated.Metadata.Labels, old.Metadata.Labels) is { Length: > 0 } forbidden)
        {
            throw Refuse(Resources.Nodes, name, $"node \"{node}\" is not allowed to modify labels: {forbidden}");
        }
    }

    private static bool SameTaints(List<Taint>? a, List<Taint>? b)
    {
        var count = a?.Count ?? 0;
        if (count != (b?.Count ?? 0))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var (x, y) = (a![i], b![i]);
            if (x.Key != y.Key || (x.Value ?? "") != (y.Value ?? "") || x.Effect != y.Effect || x.TimeAdded != y.TimeAdded)
            {
                return false;
            }
        }

        return true;
    }
}
