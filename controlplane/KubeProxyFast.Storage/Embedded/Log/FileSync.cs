namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>
/// How the store makes its files durable: the one seam through which tests inject a slow or
/// failing fsync (an acknowledgement must wait for it; a failure must poison the store).
/// </summary>
internal interface IFileSync
{
    /// <summary>fsync(2) of <paramref name="file"/>'s data, after its buffered bytes are written.</summary>
    /// <exception cref="IOException">The disk failed; whether the bytes are on it is unknown.</exception>
    void Flush(FileStream file);

    /// <summary>fsync(2) of the directory <paramref name="path"/>, making created, renamed and deleted names durable.</summary>
    /// <exception cref="IOException">The disk failed.</exception>
    void FlushDirectory(string path);
}

/// <summary>The real fsync.</summary>
internal sealed class FileSync : IFileSync
{
    /// <summary>The one instance.</summary>
    public static readonly FileSync Instance = new();

    private FileSync()
    {
    }

    /// <inheritdoc/>
    public void Flush(FileStream file) => file.Flush(flushToDisk: true);

    /// <inheritdoc/>
    public void FlushDirectory(string path) => DirectorySync.Flush(path);
}
