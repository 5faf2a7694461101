using System.Globalization;

namespace KubeProxyFast.Storage.Embedded.Log;

/// <summary>What a repair keeps of a damaged file: <c>&lt;file&gt;.&lt;UTC time&gt;.corrupt</c> beside it.</summary>
internal static class DamagedFile
{
    /// <summary>Copies <paramref name="path"/> aside, durably, before a repair cuts it; returns the copy's path.</summary>
    public static string KeepCopy(string path, IFileSync sync)
    {
        var copy = FreeName(path);
        using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var target = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            source.CopyTo(target);
            sync.Flush(target);
        }

        sync.FlushDirectory(Path.GetDirectoryName(path)!);
        return copy;
    }

    /// <summary>Renames <paramref name="path"/> aside (the caller fsyncs the directory); returns the new path.</summary>
    public static string MoveAside(string path)
    {
        var aside = FreeName(path);
        File.Move(path, aside);
        return aside;
    }

    private static string FreeName(string path)
    {
        var stem = string.Create(CultureInfo.InvariantCulture, $"{path}.{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}");
        var name = stem + ".corrupt";
        // Bounded: two repairs within one second are already unusual.
        for (var n = 1; File.Exists(name) && n < 1000; n++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}.corrupt");
        }

        return name;
    }
}
