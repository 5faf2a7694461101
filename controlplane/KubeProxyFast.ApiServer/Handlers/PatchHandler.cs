using System.Text.Json.Nodes;
using KubeProxyFast.Api.Autoscaling;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Admission;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.FieldValidation;
using KubeProxyFast.ApiServer.Patch;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Handlers;

internal sealed partial class ObjectHandlers
{
    /// <summary>
    /// PATCH of an object, its status, or a controller's scale: the patch is applied to the
    /// current object and the result goes through the same rules as a PUT. A race with another
    /// writer re-applies the patch to the new state, unless the patch carried a resourceVersion.
    /// </summary>
    public async Task PatchAsync(ApiContext context, string? subresource)
    {
        var contentType = context.Http.Request.ContentType;
        if (!PatchMediaTypes.TryParse(contentType, out var type))
        {
            throw StatusErrors.UnsupportedMediaType(contentType ?? "", PatchMediaTypes.Accepted);
        }

        var patch = await RequestBody.ReadJsonAsync(context.Http, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        var directive = FieldValidationDirectives.Parse(context.Query("fieldValidation"), "PatchOptions");
        FieldValidator.CheckPatch(directive, patch, type == PatchType.Json, subresource == "scale" ? "Scale" : context.Resource.Kind, context.Name);
        var resource = context.Resource;
        var scale = subresource == "scale";
        var admit = await CertificateSigning.AdmitAsync(context, subresource, _registry).ConfigureAwait(false);
        var updated = await _registry.UpdateAsync(resource, context.Namespace, context.Name, current =>
        {
            var old = ObjectCodec.Copy(resource, current);
            var originalVersion = current.Metadata.ResourceVersion;
            KubeObject view = scale ? ToScale((Api.Core.ReplicationController)current) : current;
            var patched = Apply(view, patch, type, scale ? "Scale" : resource.Kind);
            // Each attempt re-applies the patch: its warnings are sent once (WarningHeaders dedups).
            FieldValidator.CheckPatched(context.Http, directive, patched, scale ? "Scale" : resource.Kind, current.Metadata.Name);
            var patchedVersion = patched.Metadata.ResourceVersion;
            // A resourceVersion the patch changed is the client's precondition; otherwise any current state will do.
            var precondition = patchedVersion != originalVersion ? patchedVersion : null;
            if (scale)
            {
                var rc = (Api.Core.ReplicationController)current;
                rc.Spec ??= new Api.Core.ReplicationControllerSpec();
                rc.Spec.Replicas = ((Scale)patched).Spec?.Replicas ?? 0;
                return new Mutation(ObjectLifecycle.PrepareUpdate(resource, rc, old, status: false), precondition) { CompletesDeletion = true };
            }

            if (patched.Metadata.Name != current.Metadata.Name)
            {
                throw StatusErrors.BadRequest($"the patch changes metadata.name from \"{current.Metadata.Name}\" to \"{patched.Metadata.Name}\"; names are immutable");
            }

            var prepared = ObjectLifecycle.PrepareUpdate(resource, patched, old, subresource);
            NodeRestriction.AdmitUpdate(context.User, resource, subresource ?? "", old, prepared);
            admit?.Invoke(prepared, old);
            return new Mutation(prepared, precondition) { CompletesDeletion = true };
        }, context.Aborted, context.DryRun).ConfigureAwait(false);
        if (scale)
        {
            await ResponseWriter.WriteObjectAsync(context.Http, 200, ToScale((Api.Core.ReplicationController)updated)).ConfigureAwait(false);
            return;
        }

        await ObjectResponse.WriteAsync(context, 200, updated).ConfigureAwait(false);
    }

    private static KubeObject Apply(KubeObject current, byte[] patch, PatchType type, string kind)
    {
        var original = JsonNode.Parse(KubeJson.SerializeObject(current))!.AsObject();
        JsonObject result;
        try
        {
            result = PatchApplier.Apply(original, patch, type, kind);
        }
        catch (PatchException e)
        {
            throw e.Failure == PatchFailure.BadRequest
                ? StatusErrors.BadRequest(e.Message)
                : StatusErrors.InvalidField(kind, current.Metadata.Name, "patch", e.Message);
        }

        try
        {
            var patched = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new System.Text.Json.Utf8JsonWriter(patched))
            {
                result.WriteTo(writer);
            }

            // A patch can put a null into a list (add /spec/containers/- with value null).
            JsonText.Check(patched.WrittenSpan);
            var obj = KubeJson.Deserialize(patched.WrittenSpan, current.GetType());
            obj.Kind = current.Kind;
            obj.ApiVersion = current.ApiVersion;
            return obj;
        }
        catch (KubeDecodeException e)
        {
            throw StatusErrors.InvalidField(kind, current.Metadata.Name, e.Field is { Length: > 0 } f ? f : "patch",
                "the patched object is not a valid " + kind + ": " + e.Message);
        }
    }
}
