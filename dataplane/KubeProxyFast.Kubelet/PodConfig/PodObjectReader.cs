using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// The Secrets and ConfigMaps a pod refers to (secret and configMap volumes, env
/// <c>secretKeyRef</c>/<c>configMapKeyRef</c>), read from the API one GET each when a container
/// is set up, as Kubernetes' kubelet with its Get change-detection strategy. A kubelet may read
/// only the objects its own pods refer to (the Node authorizer refuses it a list or watch of the
/// cluster's Secrets), so it fetches by name instead of keeping informers of them.
/// </summary>
public sealed class PodObjectReader(KubeClient client)
{
    /// <summary>The objects <paramref name="pod"/> refers to, as they are now; one missing from the API is absent (the container's setup says "not found").</summary>
    public async Task<PodObjects> ReadAsync(Pod pod, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.Namespace ?? "default";
        var (secretNames, configMapNames) = References(pod);
        var secrets = new Dictionary<string, Secret>(StringComparer.Ordinal);
        foreach (var name in secretNames)
        {
            if (await GetAsync<Secret>(ns, name, "secret", ct).ConfigureAwait(false) is { } secret)
            {
                secrets[name] = secret;
            }
        }

        var configMaps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        foreach (var name in configMapNames)
        {
            if (await GetAsync<ConfigMap>(ns, name, "configmap", ct).ConfigureAwait(false) is { } configMap)
            {
                configMaps[name] = configMap;
            }
        }

        return new PodObjects(secrets, configMaps);
    }

    /// <summary>The names of the Secrets and ConfigMaps <paramref name="pod"/> refers to, each once.</summary>
    internal static (IReadOnlySet<string> Secrets, IReadOnlySet<string> ConfigMaps) References(Pod pod)
    {
        var secrets = new SortedSet<string>(StringComparer.Ordinal);
        var configMaps = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            AddName(secrets, volume.Secret?.SecretName);
            AddName(configMaps, volume.ConfigMap?.Name);
        }

        foreach (var container in pod.Spec?.Containers ?? [])
        {
            foreach (var env in container.Env ?? [])
            {
                AddName(secrets, env.ValueFrom?.SecretKeyRef?.Name);
                AddName(configMaps, env.ValueFrom?.ConfigMapKeyRef?.Name);
            }
        }

        return (secrets, configMaps);
    }

    private static void AddName(SortedSet<string> names, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            names.Add(name);
        }
    }

    private async Task<T?> GetAsync<T>(string ns, string name, string kind, CancellationToken ct)
        where T : Api.Meta.KubeObject
    {
        try
        {
            return await client.GetAsync<T>(ns, name, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException)
        {
            // Refused (the authorizer has not seen the pod's binding yet) or unreachable: the pod worker tries again on its next sync.
            throw new ContainerConfigException($"couldn't get {kind} {ns}/{name}: {e.Message}", e);
        }
    }
}

/// <summary>What <see cref="PodObjectReader"/> read for one pod.</summary>
public sealed class PodObjects(IReadOnlyDictionary<string, Secret> secrets, IReadOnlyDictionary<string, ConfigMap> configMaps)
{
    /// <summary>The Secret <paramref name="name"/> of the pod's namespace, or null when it does not exist.</summary>
    public Secret? Secret(string name) => secrets.GetValueOrDefault(name);

    /// <summary>The ConfigMap <paramref name="name"/> of the pod's namespace, or null when it does not exist.</summary>
    public ConfigMap? ConfigMap(string name) => configMaps.GetValueOrDefault(name);
}
