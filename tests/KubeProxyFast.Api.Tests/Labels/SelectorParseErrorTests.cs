using KubeProxyFast.Api.Labels;

namespace KubeProxyFast.Api.Tests.Labels;

public class SelectorParseErrorTests
{
    [Theory]
    [InlineData("a in (b", 7, "end of string", "unable to parse requirement: found 'end of string', expected: ',' or ')' at position 7")]
    [InlineData("a in (b,c", 9, "end of string", "unable to parse requirement: found 'end of string', expected: ',' or ')' at position 9")]
    [InlineData("a in (b,", 8, "end of string", "unable to parse requirement: found 'end of string', expected: ',' or identifier at position 8")]
    [InlineData("a in b", 5, "b", "unable to parse requirement: found 'b', expected: '(' at position 5")]
    [InlineData("x notin", 7, "end of string", "unable to parse requirement: found 'end of string', expected: '(' at position 7")]
    [InlineData("a notin(", 8, "end of string", "unable to parse requirement: found 'end of string', expected: ',', ')' or identifier at position 8")]
    [InlineData("a in (xyz abc)", 10, "abc", "unable to parse requirement: found 'abc', expected: ',' or ')' at position 10")]
    [InlineData("a in (=)", 6, "=", "unable to parse requirement: found '=', expected: ',', ')' or identifier at position 6")]
    [InlineData("a in (b,=)", 8, "=", "unable to parse requirement: found '=', expected: ',' or identifier at position 8")]
    [InlineData("=b", 0, "=", "found '=', expected: !, identifier, or 'end of string' at position 0")]
    [InlineData("(", 0, "(", "found '(', expected: !, identifier, or 'end of string' at position 0")]
    [InlineData(",x", 0, ",", "found ',', expected: !, identifier, or 'end of string' at position 0")]
    [InlineData("a b", 2, "b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, != at position 2")]
    [InlineData("a (", 2, "(", "unable to parse requirement: found '(', expected: in, notin, =, ==, != at position 2")]
    [InlineData("x nott in (y)", 2, "nott", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, != at position 2")]
    [InlineData("x>1", 1, ">", "unable to parse requirement: found '>', expected: in, notin, =, ==, != at position 1")]
    [InlineData("!a=b", 2, "=", "found '=', expected: ',' or 'end of string' at position 2")]
    [InlineData("!", 1, "end of string", "unable to parse requirement: found 'end of string', expected: identifier at position 1")]
    [InlineData("!!a", 1, "!", "unable to parse requirement: found '!', expected: identifier at position 1")]
    [InlineData("a,,b", 2, ",", "found ',', expected: identifier after ',' at position 2")]
    [InlineData("a=b,", 4, "end of string", "found 'end of string', expected: identifier after ',' at position 4")]
    [InlineData("a in (xyz),", 11, "end of string", "found 'end of string', expected: identifier after ',' at position 11")]
    [InlineData("a in (xyz)b notin ()", 10, "b", "found 'b', expected: ',' or 'end of string' at position 10")]
    [InlineData("x==a==b", 4, "==", "found '==', expected: ',' or 'end of string' at position 4")]
    [InlineData("a===b", 3, "=", "unable to parse requirement: found '=', expected: identifier at position 3")]
    [InlineData("a = (b)", 4, "(", "unable to parse requirement: found '(', expected: identifier at position 4")]
    [InlineData("x=a||y=b", 2, "a||y", "unable to parse requirement: invalid label value \"a||y\" for key \"x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?') at position 2")]
    [InlineData("   a in b", 8, "b", "unable to parse requirement: found 'b', expected: '(' at position 8")]
    public void Parse_Malformed_ThrowsWithPositionAndToken(string text, int position, string token, string message)
    {
        var ex = Assert.Throws<SelectorParseException>(() => Selector.Parse(text));

        Assert.Equal(message, ex.Message);
        Assert.Equal(position, ex.Position);
        Assert.Equal(token, ex.Token);
    }

    [Fact]
    public void Parse_UppercasePrefixInKey_ThrowsInvalidKeyAtKeyPosition()
    {
        var ex = Assert.Throws<SelectorParseException>(() => Selector.Parse("app=web, Example.com/tier=db"));

        Assert.StartsWith(
            "unable to parse requirement: invalid label key \"Example.com/tier\": prefix part a lowercase RFC 1123 subdomain must consist of",
            ex.Message,
            StringComparison.Ordinal);
        Assert.EndsWith(" at position 9", ex.Message, StringComparison.Ordinal);
        Assert.Equal(9, ex.Position);
        Assert.Equal("Example.com/tier", ex.Token);
    }

    [Theory]
    [InlineData("-app")]
    [InlineData("app_")]
    [InlineData("a/b/c")]
    public void Parse_InvalidKey_ThrowsInvalidLabelKey(string key)
    {
        var ex = Assert.Throws<SelectorParseException>(() => Selector.Parse("x=y," + key + " in (v)"));

        Assert.StartsWith($"unable to parse requirement: invalid label key \"{key}\": ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, ex.Position);
        Assert.Equal(key, ex.Token);
    }

    [Fact]
    public void Parse_64CharacterKeyName_ThrowsNamePartTooLong()
    {
        string key = new('k', 64);

        var ex = Assert.Throws<SelectorParseException>(() => Selector.Parse(key));

        Assert.Equal(
            $"unable to parse requirement: invalid label key \"{key}\": name part must be no more than 63 characters at position 0",
            ex.Message);
    }

    [Fact]
    public void Parse_64CharacterValue_ThrowsTooLongAtValuePosition()
    {
        string value = new('v', 64);

        var ex = Assert.Throws<SelectorParseException>(() => Selector.Parse("app=" + value));

        Assert.Equal(
            $"unable to parse requirement: invalid label value \"{value}\" for key \"app\": must be no more than 63 characters at position 4",
            ex.Message);
        Assert.Equal(4, ex.Position);
        Assert.Equal(value, ex.Token);
    }

    [Fact]
    public void Parse_63CharacterValue_IsAccepted() =>
        Assert.Equal(new string('v', 63), Selector.Parse("app=" + new string('v', 63)).Requirements[0].Values[0]);

    [Fact]
    public void Parse_InvalidValueInSet_ReportsThatValuesPosition()
    {
        var ex = Assert.Throws<SelectorParseException>(() => Selector.Parse("env in (prod, -qa)"));

        Assert.StartsWith("unable to parse requirement: invalid label value \"-qa\" for key \"env\": ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(14, ex.Position);
    }

    [Fact]
    public void SelectorParseException_IsFormatException() =>
        Assert.IsAssignableFrom<FormatException>(Assert.Throws<SelectorParseException>(() => Selector.Parse("a in b")));

    [Fact]
    public void Parse_Null_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => Selector.Parse(null!));
}
