namespace KubeProxyFast.KubeProxy.Tests.Support;

/// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("kpf-kubeproxy-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Replaces <paramref name="name"/> the way editors and config tools do: write a new file, rename it over the old.</summary>
    public string WriteAtomically(string name, string content)
    {
        var target = File(name);
        var temporary = File($".{name}.{Guid.NewGuid():N}.tmp");
        System.IO.File.WriteAllText(temporary, content);
        System.IO.File.Move(temporary, target, overwrite: true);
        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
