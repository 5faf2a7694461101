using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

public class NameValidationTests
{
    private const string Dns1123LabelFormatError =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string Dns1123SubdomainFormatError =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string Dns1035LabelFormatError =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private const string NamePartFormatError =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string LabelValueFormatError =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("my-name")]
    [InlineData("a--1--2--b")]
    [InlineData("1-a")]
    public void IsDns1123Label_ValidLabel_ReturnsNoErrors(string value) =>
        Assert.Empty(NameValidation.IsDns1123Label(value));

    [Fact]
    public void IsDns1123Label_63Characters_IsValid() =>
        Assert.Empty(NameValidation.IsDns1123Label(new string('a', 63)));

    [Fact]
    public void IsDns1123Label_64Characters_ReturnsOnlyLengthError() =>
        Assert.Equal(["must be no more than 63 characters"], NameValidation.IsDns1123Label(new string('a', 64)));

    [Theory]
    [InlineData("Foo")]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("a_b")]
    [InlineData("a b")]
    [InlineData(".a")]
    public void IsDns1123Label_BadCharactersOrEnds_ReturnsKubernetesFormatMessage(string value) =>
        Assert.Equal([Dns1123LabelFormatError], NameValidation.IsDns1123Label(value));

    [Fact]
    public void IsDns1123Label_ValidSubdomainWithDots_SaysMustNotContainDots() =>
        Assert.Equal(["must not contain dots"], NameValidation.IsDns1123Label("a.b"));

    [Fact]
    public void IsDns1123Label_TooLongAndUppercase_ReturnsBothErrorsInKubernetesOrder() =>
        Assert.Equal(
            ["must be no more than 63 characters", Dns1123LabelFormatError],
            NameValidation.IsDns1123Label("Foo" + new string('a', 61)));

    [Theory]
    [InlineData("example.com")]
    [InlineData("a")]
    [InlineData("1.2.3.4.5")]
    [InlineData("a-1.b--2.c")]
    public void IsDns1123Subdomain_ValidSubdomain_ReturnsNoErrors(string value) =>
        Assert.Empty(NameValidation.IsDns1123Subdomain(value));

    [Fact]
    public void IsDns1123Subdomain_253And254Characters_OnlyLongerOneFails()
    {
        Assert.Empty(NameValidation.IsDns1123Subdomain(new string('a', 253)));
        Assert.Equal(["must be no more than 253 characters"], NameValidation.IsDns1123Subdomain(new string('a', 254)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("-a.b")]
    [InlineData("a.-b")]
    [InlineData("Example.com")]
    public void IsDns1123Subdomain_Malformed_ReturnsKubernetesFormatMessage(string value) =>
        Assert.Equal([Dns1123SubdomainFormatError], NameValidation.IsDns1123Subdomain(value));

    [Theory]
    [InlineData("my-name")]
    [InlineData("a")]
    [InlineData("abc-123")]
    public void IsDns1035Label_ValidLabel_ReturnsNoErrors(string value) =>
        Assert.Empty(NameValidation.IsDns1035Label(value));

    [Theory]
    [InlineData("1abc")]
    [InlineData("-abc")]
    [InlineData("abc-")]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("My-name")]
    public void IsDns1035Label_Malformed_ReturnsKubernetesFormatMessage(string value) =>
        Assert.Equal([Dns1035LabelFormatError], NameValidation.IsDns1035Label(value));

    [Fact]
    public void IsDns1035Label_64Characters_ReturnsLengthError()
    {
        Assert.Empty(NameValidation.IsDns1035Label(new string('a', 63)));
        Assert.Equal(["must be no more than 63 characters"], NameValidation.IsDns1035Label(new string('a', 64)));
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("1234")]
    [InlineData("Uppercase_Is_OK_123")]
    [InlineData("example.com/Uppercase_Is_OK_123")]
    [InlineData("now-with.dashes-and.dots/simple")]
    [InlineData("1.2.3.4/5678")]
    [InlineData("app.kubernetes.io/name")]
    public void IsQualifiedName_ValidKey_ReturnsNoErrors(string value) =>
        Assert.Empty(NameValidation.IsQualifiedName(value));

    [Fact]
    public void IsQualifiedName_MaximalPrefixAndName_IsValid() =>
        Assert.Empty(NameValidation.IsQualifiedName(new string('a', 253) + "/" + new string('b', 63)));

    [Fact]
    public void IsQualifiedName_64CharacterName_ReturnsNamePartLengthError() =>
        Assert.Equal(["name part must be no more than 63 characters"], NameValidation.IsQualifiedName(new string('a', 64)));

    [Fact]
    public void IsQualifiedName_PrefixTooLong_ReturnsPrefixPartLengthError() =>
        Assert.Equal(
            ["prefix part must be no more than 253 characters"],
            NameValidation.IsQualifiedName(new string('a', 254) + "/abc"));

    [Fact]
    public void IsQualifiedName_UppercasePrefix_ReturnsPrefixPartFormatError() =>
        Assert.Equal(["prefix part " + Dns1123SubdomainFormatError], NameValidation.IsQualifiedName("Example.com/abc"));

    [Fact]
    public void IsQualifiedName_EmptyPrefix_ReturnsPrefixPartEmptyError() =>
        Assert.Equal(["prefix part must be non-empty"], NameValidation.IsQualifiedName("/simple"));

    [Fact]
    public void IsQualifiedName_EmptyName_ReturnsEmptyAndFormatErrors() =>
        Assert.Equal(["name part must be non-empty", NamePartFormatError], NameValidation.IsQualifiedName("example.com/"));

    [Theory]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("_a")]
    [InlineData("nospecialchars%^=@")]
    [InlineData("with space")]
    public void IsQualifiedName_BadName_ReturnsNamePartFormatError(string value) =>
        Assert.Equal([NamePartFormatError], NameValidation.IsQualifiedName(value));

    [Fact]
    public void IsQualifiedName_TwoSlashes_ReturnsSingleQualifiedNameError() =>
        Assert.Equal(
            [
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            ],
            NameValidation.IsQualifiedName("only/one/slash"));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("MyValue")]
    [InlineData("my_value")]
    [InlineData("1.2-3_4")]
    public void IsValidLabelValue_ValidValue_ReturnsNoErrors(string value) =>
        Assert.Empty(NameValidation.IsValidLabelValue(value));

    [Fact]
    public void IsValidLabelValue_63And64Characters_OnlyLongerOneFails()
    {
        Assert.Empty(NameValidation.IsValidLabelValue(new string('v', 63)));
        Assert.Equal(["must be no more than 63 characters"], NameValidation.IsValidLabelValue(new string('v', 64)));
    }

    [Theory]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData(".")]
    public void IsValidLabelValue_Malformed_ReturnsKubernetesFormatMessage(string value) =>
        Assert.Equal([LabelValueFormatError], NameValidation.IsValidLabelValue(value));

    [Fact]
    public void IsValidLabelValue_32TwoByteCharacters_CountsUtf8BytesAsKubernetes() =>
        // 32 × 'é' is 64 UTF-8 bytes: Go's len() rejects it as too long even though it is 32 chars.
        Assert.Equal(
            ["must be no more than 63 characters", LabelValueFormatError],
            NameValidation.IsValidLabelValue(new string('é', 32)));

    [Theory]
    [InlineData(1)]
    [InlineData(80)]
    [InlineData(65535)]
    public void IsValidPortNumber_InRange_ReturnsNoErrors(int port) =>
        Assert.Empty(NameValidation.IsValidPortNumber(port));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void IsValidPortNumber_OutOfRange_ReturnsRangeError(int port) =>
        Assert.Equal(["must be between 1 and 65535, inclusive"], NameValidation.IsValidPortNumber(port));

    [Theory]
    [InlineData("http")]
    [InlineData("a")]
    [InlineData("re-mail-ck")]
    [InlineData("1-a-2-b-3")]
    [InlineData("abcdefghijklmno")]
    public void IsValidPortName_ValidName_ReturnsNoErrors(string name) =>
        Assert.Empty(NameValidation.IsValidPortName(name));

    [Theory]
    [InlineData("abcdefghijklmnop", "must be no more than 15 characters")]
    [InlineData("12345", "must contain at least one letter (a-z)")]
    [InlineData("-begin", "must not begin or end with a hyphen")]
    [InlineData("end-", "must not begin or end with a hyphen")]
    [InlineData("two--hyphens", "must not contain consecutive hyphens")]
    [InlineData("whois++", "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")]
    public void IsValidPortName_BrokenRule_ReturnsThatRule(string name, string expected) =>
        Assert.Equal([expected], NameValidation.IsValidPortName(name));

    [Fact]
    public void IsValidPortName_Empty_ReturnsCharsetAndLetterErrors() =>
        Assert.Equal(
            ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"],
            NameValidation.IsValidPortName(""));

    [Fact]
    public void IsValidPortName_Uppercase_IsRejectedAlthoughRfc6335IsCaseInsensitive() =>
        Assert.Equal(
            ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"],
            NameValidation.IsValidPortName("HTTP"));

    [Theory]
    [InlineData("198.18.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("198.19.2.3")]
    public void IsValidIPv4Address_DottedQuad_ReturnsNoErrors(string value) =>
        Assert.Empty(NameValidation.IsValidIPv4Address(value));

    [Theory]
    [InlineData("")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.4 ")]
    [InlineData("0001.2.3.4")]
    [InlineData("010.001.002.003")]
    [InlineData("::ffff:1.2.3.4")]
    [InlineData("2001:db8::1")]
    [InlineData("a.b.c.d")]
    public void IsValidIPv4Address_NotIPv4_ReturnsError(string value) =>
        Assert.Equal(["must be a valid IPv4 address"], NameValidation.IsValidIPv4Address(value));

    [Theory]
    [InlineData("198.18.0.1")]
    [InlineData("2001:db8::ffff")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    public void IsValidIP_IPv4OrIPv6_ReturnsNoErrors(string value) =>
        Assert.Empty(NameValidation.IsValidIP(value));

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("010.0.0.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("1.2.3.4 ")]
    public void IsValidIP_NotAPlainAddress_ReturnsKubernetesMessage(string value) =>
        Assert.Equal(["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"], NameValidation.IsValidIP(value));

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(10)]
    public void IsInRange_InsideInclusiveBounds_ReturnsNoErrors(int value) =>
        Assert.Empty(NameValidation.IsInRange(value, 1, 10));

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void IsInRange_OutsideBounds_ReturnsRangeError(int value) =>
        Assert.Equal(["must be between 1 and 10, inclusive"], NameValidation.IsInRange(value, 1, 10));
}
