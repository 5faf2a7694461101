using System.Text;
using Google.Protobuf;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using Container = KubeProxyFast.Api.Core.Container;
using KubeProxyFast.Kubelet.PodConfig;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// The least a pod needs: literal <c>env</c> values, <c>$(VAR)</c> expansion, no DNS override, no
/// volumes, no resource limits. The kubelet wires the PodConfig folder's full implementation; this
/// one serves tests of the pod lifecycle and runtimes without it.
/// </summary>
public sealed class BasicPodConfigSource : IPodConfigSource
{
    /// <inheritdoc />
    public DNSConfig? Dns(Pod pod) => null;

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValue>> EnvironmentAsync(Pod pod, Container container, string? podIp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(container);
        var env = new List<KeyValue>();
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is not null)
            {
                throw new ContainerConfigException($"env {variable.Name}: valueFrom is not supported by this configuration source");
            }

            env.Add(new KeyValue { Key = variable.Name, Value = ByteString.CopyFromUtf8(Expand(variable.Value ?? "", env)) });
        }

        return Task.FromResult<IReadOnlyList<KeyValue>>(env);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Mount>> MountsAsync(Pod pod, Container container, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Mount>>([]);

    /// <inheritdoc />
    public LinuxContainerResources? Resources(Pod pod, Container container) => null;

    /// <inheritdoc />
    public string Expand(string value, IReadOnlyList<KeyValue> environment)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(environment);
        if (!value.Contains('$', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '$' || i + 1 >= value.Length)
            {
                sb.Append(value[i]);
                continue;
            }

            var next = value[i + 1];
            if (next == '$')
            {
                sb.Append('$'); // $$ escapes a literal $
                i++;
            }
            else if (next == '(' && value.IndexOf(')', i + 2) is var close and > 0)
            {
                var name = value[(i + 2)..close];
                var found = Lookup(environment, name);
                sb.Append(found ?? value[i..(close + 1)]); // an unknown variable stays as written
                i = close;
            }
            else
            {
                sb.Append('$');
            }
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public Task CleanupAsync(string podUid, CancellationToken ct) => Task.CompletedTask;

    private static string? Lookup(IReadOnlyList<KeyValue> environment, string name)
    {
        // The last definition wins, as in Kubernetes' mapping function.
        for (var i = environment.Count - 1; i >= 0; i--)
        {
            if (environment[i].Key == name)
            {
                return environment[i].Value.ToStringUtf8();
            }
        }

        return null;
    }
}
