namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// A patch could not be applied. The message names what was wrong and where (the json-patch
/// operation and its path, the strategic merge directive and the field it sits in, the position
/// of a JSON syntax error); <see cref="Failure"/> says which HTTP status to answer with.
/// </summary>
internal sealed class PatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PatchException(string message, PatchFailure failure, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    /// <summary>Why the patch failed: decides between 400, 422 and 413.</summary>
    public PatchFailure Failure { get; }
}
