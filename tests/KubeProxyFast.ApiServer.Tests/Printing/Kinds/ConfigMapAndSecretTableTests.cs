using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Tests.Printing.Kinds;

/// <summary>ConfigMap and Secret rows as kubectl prints them: counts of keys, never values.</summary>
public sealed class ConfigMapAndSecretTableTests
{
    [Fact]
    public void Print_ConfigMap_NameDataAge_CountsTextAndBinaryKeys()
    {
        var map = new ConfigMap
        {
            Metadata = new() { Name = "cfg", CreationTimestamp = Fixtures.Ago(90) },
            Data = new() { ["a"] = "1", ["b"] = "2" },
            BinaryData = new() { ["c"] = [1] },
        };

        var table = Fixtures.Printer().Print("configmaps", [map, new ConfigMap { Metadata = new() { Name = "empty", CreationTimestamp = Fixtures.Ago(5) } }], new());

        Assert.Equal(["Name", "Data", "Age"], table.ColumnDefinitions.Select(c => c.Name));
        Assert.Equal(["cfg", 3L, "90s"], table.Rows[0].Cells);
        Assert.Equal(["empty", 0L, "5s"], table.Rows[1].Cells);
    }

    [Fact]
    public void Print_Secret_NameTypeDataAge_WithoutValues()
    {
        var secret = new Secret
        {
            Metadata = new() { Name = "tls", CreationTimestamp = Fixtures.Ago(7200) },
            Type = SecretTypes.Tls,
            Data = new() { ["tls.crt"] = "cert"u8.ToArray(), ["tls.key"] = "key"u8.ToArray() },
        };

        var table = Fixtures.Printer().Print("secrets", [secret], new());

        Assert.Equal(["Name", "Type", "Data", "Age"], table.ColumnDefinitions.Select(c => c.Name));
        Assert.Equal(["tls", "kubernetes.io/tls", 2L, "120m"], table.Rows[0].Cells);
    }
}
