using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Kubelet.Images;

namespace KubeProxyFast.Kubelet.Tests.Images;

public class OciImageArchiveTests
{
    private static readonly OciImageSpec Spec = new()
    {
        Reference = "localhost/kpf-test/unit:1",
        Entrypoint = ["/bin/sh", "-c"],
        Cmd = ["echo hi"],
        Env = ["PATH=/bin", "A=b"],
        Files = [new OciImageFile("/etc/kpf/hello.txt", Encoding.UTF8.GetBytes("hello"))],
    };

    [Fact]
    public void Write_Layout_HasIndexManifestConfigAndLayerWithMatchingDigests()
    {
        var (info, entries) = WriteAndRead(Spec);
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", Encoding.UTF8.GetString(entries["oci-layout"]));

        using var index = JsonDocument.Parse(entries["index.json"]);
        var descriptor = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(info.ManifestDigest, descriptor.GetProperty("digest").GetString());
        Assert.Equal("localhost/kpf-test/unit:1", descriptor.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());
        Assert.Equal("localhost/kpf-test/unit:1", descriptor.GetProperty("annotations").GetProperty("io.containerd.image.name").GetString());

        var manifestBytes = Blob(entries, info.ManifestDigest);
        Assert.Equal(descriptor.GetProperty("size").GetInt64(), manifestBytes.Length);
        using var manifest = JsonDocument.Parse(manifestBytes);
        Assert.Equal(info.ConfigDigest, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString());
        var layerDigest = Assert.Single(manifest.RootElement.GetProperty("layers").EnumerateArray()).GetProperty("digest").GetString()!;

        using var config = JsonDocument.Parse(Blob(entries, info.ConfigDigest));
        var c = config.RootElement.GetProperty("config");
        Assert.Equal(["/bin/sh", "-c"], c.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["echo hi"], c.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["PATH=/bin", "A=b"], c.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));

        // diff_id is the digest of the uncompressed layer.
        using var gunzip = new GZipStream(new MemoryStream(Blob(entries, layerDigest)), CompressionMode.Decompress);
        var layerTar = new MemoryStream();
        gunzip.CopyTo(layerTar);
        var diffId = Assert.Single(config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray()).GetString();
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(layerTar.ToArray())), diffId);

        layerTar.Position = 0;
        var layer = ReadTar(layerTar);
        Assert.Equal(File.ReadAllBytes("/bin/busybox"), layer["bin/busybox"].Data);
        Assert.Equal(TarEntryType.SymbolicLink, layer["bin/sh"].Type);
        Assert.Equal("/bin/busybox", layer["bin/sh"].Link);
        Assert.Equal(TarEntryType.SymbolicLink, layer["bin/sleep"].Type);
        Assert.Equal("hello", Encoding.UTF8.GetString(layer["etc/kpf/hello.txt"].Data));
        Assert.Equal(TarEntryType.Directory, layer["tmp/"].Type);
    }

    [Fact]
    public void Write_SameSpecTwice_GivesTheSameDigests()
    {
        var (a, _) = WriteAndRead(Spec);
        var (b, _) = WriteAndRead(Spec);
        Assert.Equal(a, b);
        var (c, _) = WriteAndRead(Spec with { Cmd = ["echo other"] });
        Assert.NotEqual(a.ConfigDigest, c.ConfigDigest);
    }

    private static (OciImageInfo Info, Dictionary<string, byte[]> Entries) WriteAndRead(OciImageSpec spec)
    {
        using var archive = new MemoryStream();
        var info = OciImageArchive.Write(spec, archive);
        archive.Position = 0;
        return (info, ReadTar(archive).ToDictionary(e => e.Key, e => e.Value.Data));
    }

    private static byte[] Blob(Dictionary<string, byte[]> entries, string digest) => entries["blobs/sha256/" + digest["sha256:".Length..]];

    private static Dictionary<string, (TarEntryType Type, byte[] Data, string Link)> ReadTar(Stream stream)
    {
        var result = new Dictionary<string, (TarEntryType, byte[], string)>();
        using var reader = new TarReader(stream, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            result[entry.Name] = (entry.EntryType, data.ToArray(), entry.LinkName);
        }
        return result;
    }
}
