using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.PodConfig;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// Where a pod's cgroup is (cgroupfs driver, by QoS class), and its removal in every mounted
/// hierarchy once its containers are gone: runc makes <c>&lt;root&gt;/&lt;qos&gt;/pod&lt;uid&gt;/&lt;container&gt;</c> and removes
/// only the container's own leaf.
/// </summary>
public static class PodCgroups
{
    private const string CgroupMount = "/sys/fs/cgroup";

    /// <summary>
    /// The pod's cgroup under <paramref name="cgroupRoot"/> (cgroupfs driver), by its QoS class:
    /// <c>/kubepods/pod&lt;uid&gt;</c> (Guaranteed), <c>/kubepods/burstable/pod&lt;uid&gt;</c>,
    /// <c>/kubepods/besteffort/pod&lt;uid&gt;</c>.
    /// </summary>
    public static string Parent(Pod pod, string cgroupRoot)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(cgroupRoot);
        var root = cgroupRoot.TrimEnd('/');
        var leaf = "pod" + pod.Metadata.Uid;
        return ContainerResources.QosClass(pod) switch
        {
            QosClasses.Guaranteed => $"{root}/{leaf}",
            QosClasses.Burstable => $"{root}/burstable/{leaf}",
            _ => $"{root}/besteffort/{leaf}",
        };
    }

    /// <summary>The pod's cgroup directories that exist, in every hierarchy and QoS class.</summary>
    public static IReadOnlyList<string> Find(string cgroupRoot, string podUid)
    {
        ArgumentNullException.ThrowIfNull(cgroupRoot);
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        var found = new List<string>();
        if (!Directory.Exists(CgroupMount))
        {
            return found;
        }

        var root = cgroupRoot.Trim('/');
        var leaf = "pod" + podUid;
        var hierarchies = new List<string> { CgroupMount };
        hierarchies.AddRange(Directory.GetDirectories(CgroupMount));
        foreach (var hierarchy in hierarchies)
        {
            foreach (var qos in new[] { "", "burstable", "besteffort" })
            {
                var path = Path.Combine(hierarchy, root, qos, leaf);
                if (Directory.Exists(path))
                {
                    found.Add(path);
                }
            }
        }

        return found;
    }

    /// <summary>Removes the pod's cgroup directories (deepest first; cgroupfs removes with rmdir only).</summary>
    public static void Remove(string cgroupRoot, string podUid, ILogger logger)
    {
        foreach (var path in Find(cgroupRoot, podUid))
        {
            try
            {
                RemoveTree(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                PodsLog.CgroupRemoveFailed(logger, path, e);
            }
        }
    }

    private static void RemoveTree(string path)
    {
        foreach (var child in Directory.GetDirectories(path))
        {
            RemoveTree(child);
        }

        // Not recursive: rmdir(2) on a cgroup directory, whose control files cannot be unlinked.
        Directory.Delete(path, recursive: false);
    }
}
