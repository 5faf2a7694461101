using System.Buffers;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Events;

namespace KubeProxyFast.Controllers.Replication;

/// <summary>
/// The replication manager's writes of pods, with the events Kubernetes' <c>RealPodControl</c>
/// records for them: creates from a controller's template, deletes, and the patches that adopt and
/// release pods.
/// </summary>
internal sealed class PodControl
{
    /// <summary>Event reasons, in Kubernetes' words (<c>controller_utils.go</c>).</summary>
    public const string SuccessfulCreate = "SuccessfulCreate";
    public const string FailedCreate = "FailedCreate";
    public const string SuccessfulDelete = "SuccessfulDelete";
    public const string FailedDelete = "FailedDelete";

    /// <summary>The cause NamespaceLifecycle admission puts on a create refused in a terminating namespace.</summary>
    public const string NamespaceTerminatingCause = "NamespaceTerminating";

    private const string Normal = "Normal";
    private const string Warning = "Warning";

    private readonly KubeClient _client;
    private readonly EventRecorder _recorder;

    public PodControl(KubeClient client, EventRecorder recorder)
    {
        _client = client;
        _recorder = recorder;
    }

    /// <summary>
    /// The pod <paramref name="rc"/> creates (Kubernetes' <c>GetPodFromTemplate</c>): the template's
    /// labels, annotations, finalizers and spec, <c>generateName</c> <c>&lt;rc&gt;-</c> and the
    /// controller reference. One instance serves every create of a sync (it is only serialized).
    /// </summary>
    /// <exception cref="InvalidOperationException">The template has no labels (Kubernetes: "unable to create pods, no labels").</exception>
    public static Pod PodFromTemplate(ReplicationController rc)
    {
        var template = rc.Spec?.Template;
        var meta = template?.Metadata;
        if (meta?.Labels is not { Count: > 0 } labels)
        {
            throw new InvalidOperationException("unable to create pods, no labels");
        }

        return new Pod
        {
            Kind = "Pod",
            ApiVersion = "v1",
            Metadata = new ObjectMeta
            {
                Namespace = rc.Metadata.Namespace,
                GenerateName = rc.Metadata.Name + "-",
                Labels = new Dictionary<string, string>(labels),
                Annotations = meta.Annotations is { Count: > 0 } annotations ? new Dictionary<string, string>(annotations) : null,
                Finalizers = meta.Finalizers is { Count: > 0 } finalizers ? [.. finalizers] : null,
                OwnerReferences = [ControllerReference(rc)],
            },
            Spec = template!.Spec,
        };
    }

    /// <summary>The owner reference a replication controller puts on its pods (<c>metav1.NewControllerRef</c>).</summary>
    public static OwnerReference ControllerReference(ReplicationController rc) => new()
    {
        ApiVersion = "v1",
        Kind = ReplicationManager.ControllerKind,
        Name = rc.Metadata.Name ?? "",
        Uid = rc.Metadata.Uid ?? "",
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>
    /// Refuses to create for <paramref name="rc"/> when its selector does not match its template's
    /// labels (validation refuses such an RC; one written straight to the store would create pods
    /// it never counts, without end): records FailedCreate and throws.
    /// </summary>
    /// <exception cref="InvalidOperationException">The selector does not match the template's labels (Kubernetes' validation wording).</exception>
    public void EnsureSelectorMatchesTemplate(ReplicationController rc)
    {
        var labels = rc.Spec?.Template?.Metadata?.Labels;
        // A template without labels is refused by PodFromTemplate, in Kubernetes' words for it.
        if (labels is not { Count: > 0 } || PodStates.Matches(rc.Spec?.Selector, labels))
        {
            return;
        }

        const string message = "`selector` does not match template `labels`";
        _recorder.Event(rc, Warning, FailedCreate, "Error creating: " + message);
        throw new InvalidOperationException(message);
    }

    /// <summary>
    /// Creates <paramref name="pod"/> for <paramref name="rc"/>; records SuccessfulCreate, or
    /// FailedCreate with the apiserver's message (except when the namespace is terminating, as
    /// Kubernetes: every create would fail the same way) and rethrows.
    /// </summary>
    public async Task CreateAsync(ReplicationController rc, Pod pod, CancellationToken cancellationToken)
    {
        Pod created;
        try
        {
            created = await _client.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e)
        {
            if (!IsNamespaceTerminating(e))
            {
                _recorder.Event(rc, Warning, FailedCreate, "Error creating: " + MessageOf(e));
            }

            throw;
        }

        _recorder.Event(rc, Normal, SuccessfulCreate, "Created pod: " + created.Metadata.Name);
    }

    /// <summary>
    /// Deletes the pod <paramref name="name"/>; records SuccessfulDelete, or FailedDelete and
    /// rethrows. A pod already gone throws <see cref="KubeApiException.IsNotFound"/> without an event.
    /// </summary>
    public async Task DeleteAsync(ReplicationController rc, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync<Pod>(rc.Metadata.Namespace, name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (!e.IsNotFound)
        {
            _recorder.Event(rc, Warning, FailedDelete, "Error deleting: " + MessageOf(e));
            throw;
        }

        _recorder.Event(rc, Normal, SuccessfulDelete, "Deleted pod: " + name);
    }

    /// <summary>
    /// Makes <paramref name="rc"/> the pod's controller: a strategic merge patch adding the
    /// reference (merged by uid) and carrying the pod's uid, so a pod deleted and created again
    /// under the name is not adopted by mistake. The apiserver refuses it when the pod has another
    /// controller by now.
    /// </summary>
    public Task AdoptAsync(ReplicationController rc, Pod pod, CancellationToken cancellationToken)
    {
        var patch = OwnerPatch(pod, writer =>
        {
            var owner = ControllerReference(rc);
            writer.WriteString("apiVersion", owner.ApiVersion);
            writer.WriteString("kind", owner.Kind);
            writer.WriteString("name", owner.Name);
            writer.WriteString("uid", owner.Uid);
            writer.WriteBoolean("controller", true);
            writer.WriteBoolean("blockOwnerDeletion", true);
        });
        return _client.PatchAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name!, PatchType.StrategicMerge, patch, cancellationToken);
    }

    /// <summary>Removes <paramref name="rc"/>'s reference from the pod (<c>$patch: delete</c> by uid), carrying the pod's uid.</summary>
    public Task ReleaseAsync(ReplicationController rc, Pod pod, CancellationToken cancellationToken)
    {
        var patch = OwnerPatch(pod, writer =>
        {
            writer.WriteString("$patch", "delete");
            writer.WriteString("uid", rc.Metadata.Uid);
        });
        return _client.PatchAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name!, PatchType.StrategicMerge, patch, cancellationToken);
    }

    /// <summary>A create refused because the namespace is being deleted (the NamespaceTerminating cause).</summary>
    public static bool IsNamespaceTerminating(KubeApiException e) =>
        e.Status.Details?.Causes?.Exists(c => c.Reason == NamespaceTerminatingCause) == true;

    /// <summary>The apiserver's message, as Go's <c>%v</c> of a StatusError prints it.</summary>
    public static string MessageOf(Exception e) => e is KubeApiException { Status.Message: { Length: > 0 } message } ? message : e.Message;

    /// <summary><c>{"metadata":{"ownerReferences":[{…}],"uid":"…"}}</c>.</summary>
    private static string OwnerPatch(Pod pod, Action<Utf8JsonWriter> reference)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = KubeJson.CreateWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteStartArray("ownerReferences");
            writer.WriteStartObject();
            reference(writer);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("uid", pod.Metadata.Uid);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
