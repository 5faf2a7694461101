namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// Why a patch failed, which decides the HTTP status — the same split Kubernetes'
/// <c>endpoints/handlers/patch.go</c> makes.
/// </summary>
internal enum PatchFailure
{
    /// <summary>
    /// The patch itself is unusable: not JSON, the wrong shape for its type, a bad or unknown
    /// strategic merge directive. Answer 400 Bad Request.
    /// </summary>
    BadRequest,

    /// <summary>
    /// The patch is well formed but cannot be applied to this object: a json-patch operation
    /// whose path is missing or whose <c>test</c> fails (Kubernetes answers every
    /// <c>jsonpatch.Apply</c> error with 422), a strategic merge patch that contradicts its own
    /// <c>$retainKeys</c>, or a result that is not an object. Answer 422 Unprocessable Entity
    /// (reason <c>Invalid</c>).
    /// </summary>
    Unprocessable,

    /// <summary>
    /// A json patch with more than <see cref="JsonPatch.MaxOperations"/> operations. Answer
    /// 413 Request Entity Too Large, as Kubernetes does.
    /// </summary>
    TooLarge,
}
