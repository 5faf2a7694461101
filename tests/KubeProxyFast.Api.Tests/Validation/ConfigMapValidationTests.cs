using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

/// <summary>ConfigMap validation, with Kubernetes' messages (ValidateConfigMap, ValidateConfigMapUpdate, IsConfigMapKey).</summary>
public sealed class ConfigMapValidationTests
{
    private static ConfigMap Map(Dictionary<string, string>? data = null, Dictionary<string, byte[]>? binary = null, bool? immutable = null) =>
        new() { Metadata = new() { Name = "cfg", Namespace = "default" }, Data = data, BinaryData = binary, Immutable = immutable };

    private static string[] Messages(ConfigMap map) => ObjectValidation.Validate(map).Select(e => e.ToString()).ToArray();

    [Fact]
    public void Validate_KeysOfAllowedCharacters_IsValid() =>
        Assert.Empty(Messages(Map(new() { ["a.b-c_D9"] = "x", [".hidden"] = "" }, new() { ["bin"] = [0, 255] })));

    [Theory]
    [InlineData("a b", "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")]
    [InlineData(".", "data[.]: Invalid value: \".\": must not be '.'")]
    [InlineData("..", "data[..]: Invalid value: \"..\": must not be '..'")]
    [InlineData("..x", "data[..x]: Invalid value: \"..x\": must not start with '..'")]
    public void Validate_BadKey_KubernetesMessage(string key, string message) =>
        Assert.Equal([message], Messages(Map(new() { [key] = "v" })));

    [Fact]
    public void Validate_KeyLongerThan253_IsInvalid()
    {
        var key = new string('k', 254);

        Assert.Equal([$"binaryData[{key}]: Invalid value: \"{key}\": must be no more than 253 characters"], Messages(Map(binary: new() { [key] = [] })));
        Assert.Empty(Messages(Map(binary: new() { [key[..253]] = [] })));
    }

    [Fact]
    public void Validate_KeyInDataAndBinaryData_IsDuplicate() =>
        Assert.Equal(["data[k]: Invalid value: \"k\": duplicate of key present in binaryData"], Messages(Map(new() { ["k"] = "a" }, new() { ["k"] = [1] })));

    [Fact]
    public void Validate_OverOneMiBAcrossBothMaps_IsTooLongOnTheObject()
    {
        var half = new string('x', 512 * 1024);

        Assert.Empty(Messages(Map(new() { ["a"] = half }, new() { ["b"] = new byte[512 * 1024] })));
        Assert.Equal(["[]: Too long: may not be more than 1048576 bytes"], Messages(Map(new() { ["a"] = half }, new() { ["b"] = new byte[512 * 1024 + 1] })));
    }

    [Fact]
    public void Validate_SizeCountsUtf8Bytes_NotCharacters()
    {
        // 'é' is two bytes in UTF-8: 524,289 of them are 1,048,578 bytes.
        var text = new string('é', 524_289);

        Assert.True(Encoding.UTF8.GetByteCount(text) > ConfigKeyValidation.MaxDataBytes);
        Assert.Single(Messages(Map(new() { ["a"] = text })));
    }

    [Fact]
    public void ValidateUpdate_ImmutableChangingData_IsForbidden()
    {
        var old = Map(new() { ["a"] = "1" }, new() { ["b"] = [1] }, immutable: true);

        var errors = ConfigMapValidation.ValidateUpdate(Map(new() { ["a"] = "2" }, new() { ["b"] = [2] }, immutable: null), old).Select(e => e.ToString());

        Assert.Equal(
        [
            "immutable: Forbidden: field is immutable when `immutable` is set",
            "data: Forbidden: field is immutable when `immutable` is set",
            "binaryData: Forbidden: field is immutable when `immutable` is set",
        ], errors);
    }

    [Fact]
    public void ValidateUpdate_ImmutableWithSameData_IsValid()
    {
        var old = Map(new() { ["a"] = "1" }, immutable: true);

        Assert.Empty(ConfigMapValidation.ValidateUpdate(Map(new() { ["a"] = "1" }, immutable: true), old));
    }

    [Fact]
    public void ValidateUpdate_MutableToImmutable_IsValid() =>
        Assert.Empty(ConfigMapValidation.ValidateUpdate(Map(new() { ["a"] = "2" }, immutable: true), Map(new() { ["a"] = "1" })));
}
