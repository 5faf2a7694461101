using System.Globalization;
using System.Text;

namespace KubeProxyFast.Api.Validation;

/// <summary>
/// The name and label syntax checks of Kubernetes (<c>k8s.io/apimachinery/pkg/util/validation</c>):
/// same rules, same message wording, so that a client sees the errors it would see from a real
/// API server. Each check returns the list of error messages; an empty list means valid.
/// </summary>
/// <remarks>
/// Lengths are counted in UTF-8 bytes, as Go's <c>len</c> does; for the ASCII strings that can
/// pass these checks that is the number of characters. The checks are hand-written scanners
/// rather than regular expressions because label keys and values are validated on every object
/// write; the patterns quoted in the messages are the ones Kubernetes reports.
/// </remarks>
public static class NameValidation
{
    /// <summary>Maximum length of an RFC 1123 label (<c>DNS1123LabelMaxLength</c>).</summary>
    public const int Dns1123LabelMaxLength = 63;

    /// <summary>Maximum length of an RFC 1123 subdomain (<c>DNS1123SubdomainMaxLength</c>).</summary>
    public const int Dns1123SubdomainMaxLength = 253;

    /// <summary>Maximum length of an RFC 1035 label (<c>DNS1035LabelMaxLength</c>).</summary>
    public const int Dns1035LabelMaxLength = 63;

    /// <summary>Maximum length of the name part of a qualified name (label or annotation key).</summary>
    public const int QualifiedNameMaxLength = 63;

    /// <summary>Maximum length of a label value (<c>LabelValueMaxLength</c>).</summary>
    public const int LabelValueMaxLength = 63;

    /// <summary>Maximum length of a port name (IANA_SVC_NAME, RFC 6335).</summary>
    public const int PortNameMaxLength = 15;

    private const string Dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string Dns1123SubdomainFmt = Dns1123LabelFmt + "(\\." + Dns1123LabelFmt + ")*";
    private const string Dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string Dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private const string QualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFmt = "(" + QualifiedNameFmt + ")?";
    private const string LabelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /// <summary>
    /// Checks that <paramref name="value"/> is a lowercase RFC 1123 label: at most 63 characters
    /// of <c>[a-z0-9-]</c>, starting and ending with an alphanumeric character (namespace names,
    /// most object names).
    /// </summary>
    /// <param name="value">The string to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsDns1123Label(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        List<string>? errors = null;
        if (ByteLength(value) > Dns1123LabelMaxLength)
        {
            Add(ref errors, MaxLenError(Dns1123LabelMaxLength));
        }

        if (!IsDns1123LabelSyntax(value))
        {
            // A valid subdomain that is not a valid label can only be failing on its dots
            // (the length was checked above), so Kubernetes says exactly that.
            Add(ref errors, IsDns1123SubdomainSyntax(value)
                ? "must not contain dots"
                : RegexError(Dns1123LabelErrMsg, Dns1123LabelFmt, "my-name", "123-abc"));
        }

        return Result(errors);
    }

    /// <summary>
    /// Checks that <paramref name="value"/> is a lowercase RFC 1123 subdomain: at most 253
    /// characters, dot-separated RFC 1123 labels.
    /// </summary>
    /// <param name="value">The string to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsDns1123Subdomain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        List<string>? errors = null;
        if (ByteLength(value) > Dns1123SubdomainMaxLength)
        {
            Add(ref errors, MaxLenError(Dns1123SubdomainMaxLength));
        }

        if (!IsDns1123SubdomainSyntax(value))
        {
            Add(ref errors, RegexError(Dns1123SubdomainErrMsg, Dns1123SubdomainFmt, "example.com"));
        }

        return Result(errors);
    }

    /// <summary>
    /// Checks that <paramref name="value"/> is an RFC 1035 label: at most 63 characters of
    /// <c>[a-z0-9-]</c>, starting with a letter and ending with an alphanumeric character
    /// (Service names).
    /// </summary>
    /// <param name="value">The string to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsDns1035Label(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        List<string>? errors = null;
        if (ByteLength(value) > Dns1035LabelMaxLength)
        {
            Add(ref errors, MaxLenError(Dns1035LabelMaxLength));
        }

        if (value.Length == 0 || !IsAsciiLower(value[0]) || !IsDns1123LabelSyntax(value))
        {
            Add(ref errors, RegexError(Dns1035LabelErrMsg, Dns1035LabelFmt, "my-name", "abc-123"));
        }

        return Result(errors);
    }

    /// <summary>
    /// Checks that <paramref name="value"/> is a Kubernetes "qualified name" (label and
    /// annotation keys): an optional lowercase DNS subdomain prefix and '/', then a name of at
    /// most 63 characters of <c>[A-Za-z0-9_.-]</c> that starts and ends with an alphanumeric
    /// character.
    /// </summary>
    /// <param name="value">The string to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsQualifiedName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        List<string>? errors = null;
        string name;
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            name = value;
        }
        else if (value.IndexOf('/', slash + 1) >= 0)
        {
            return
            [
                "a qualified name " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            ];
        }
        else
        {
            string prefix = value[..slash];
            name = value[(slash + 1)..];
            if (prefix.Length == 0)
            {
                Add(ref errors, "prefix part " + EmptyError());
            }
            else
            {
                foreach (string message in IsDns1123Subdomain(prefix))
                {
                    Add(ref errors, "prefix part " + message);
                }
            }
        }

        if (name.Length == 0)
        {
            Add(ref errors, "name part " + EmptyError());
        }
        else if (ByteLength(name) > QualifiedNameMaxLength)
        {
            Add(ref errors, "name part " + MaxLenError(QualifiedNameMaxLength));
        }

        if (!IsQualifiedNameSyntax(name))
        {
            Add(ref errors, "name part " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc"));
        }

        return Result(errors);
    }

    /// <summary>
    /// Checks that <paramref name="value"/> is a valid label value: empty, or at most 63
    /// characters of <c>[A-Za-z0-9_.-]</c> that start and end with an alphanumeric character.
    /// </summary>
    /// <param name="value">The string to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsValidLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        List<string>? errors = null;
        if (ByteLength(value) > LabelValueMaxLength)
        {
            Add(ref errors, MaxLenError(LabelValueMaxLength));
        }

        if (value.Length != 0 && !IsQualifiedNameSyntax(value))
        {
            Add(ref errors, RegexError(LabelValueErrMsg, LabelValueFmt, "MyValue", "my_value", "12345"));
        }

        return Result(errors);
    }

    /// <summary>Checks that <paramref name="port"/> is a non-zero TCP/UDP/SCTP port number.</summary>
    /// <param name="port">The port number to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsValidPortNumber(int port) => IsInRange(port, 1, 65535);

    /// <summary>
    /// Checks that <paramref name="port"/> is a valid port name (IANA_SVC_NAME, RFC 6335): at most
    /// 15 characters of <c>[a-z0-9-]</c>, at least one letter, no leading, trailing or adjacent
    /// hyphens. Only lower case is allowed, although RFC 6335 is case-insensitive.
    /// </summary>
    /// <param name="port">The port name to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsValidPortName(string port)
    {
        ArgumentNullException.ThrowIfNull(port);
        List<string>? errors = null;
        if (ByteLength(port) > PortNameMaxLength)
        {
            Add(ref errors, MaxLenError(PortNameMaxLength));
        }

        bool charsetOk = port.Length != 0;
        bool hasLetter = false;
        foreach (char c in port)
        {
            hasLetter |= IsAsciiLower(c);
            charsetOk &= IsAsciiLower(c) || char.IsAsciiDigit(c) || c == '-';
        }

        if (!charsetOk)
        {
            Add(ref errors, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }

        if (!hasLetter)
        {
            Add(ref errors, "must contain at least one letter (a-z)");
        }

        if (port.Contains("--", StringComparison.Ordinal))
        {
            Add(ref errors, "must not contain consecutive hyphens");
        }

        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
        {
            Add(ref errors, "must not begin or end with a hyphen");
        }

        return Result(errors);
    }

    /// <summary>
    /// Checks that <paramref name="value"/> is an IPv4 address in dotted-decimal form
    /// (<c>IsValidIPv4Address</c>). Octets with a leading zero are refused (Kubernetes' strict IP
    /// validation and Go's parser; .NET would read them as octal), and so are IPv4-mapped IPv6
    /// forms (<c>::ffff:1.2.3.4</c>).
    /// </summary>
    /// <param name="value">The string to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsValidIPv4Address(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsIPv4Syntax(value) ? [] : ["must be a valid IPv4 address"];
    }

    /// <summary>
    /// Checks that <paramref name="value"/> is an IPv4 address in dotted-decimal form or an IPv6
    /// address (<c>IsValidIP</c>, with Kubernetes' message). Forms that <see cref="System.Net.IPAddress.TryParse(string?, out System.Net.IPAddress?)"/>
    /// would also take — <c>127.1</c>, <c>0x7f.0.0.1</c>, a bare number, a scope (<c>fe80::1%eth0</c>),
    /// brackets, IPv4-mapped IPv6, leading zeros — are refused: each names an address other than it seems to.
    /// </summary>
    /// <param name="value">The string to check.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsValidIP(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var valid = value.Contains(':', StringComparison.Ordinal)
            ? value.AsSpan().IndexOfAny('%', '[', ']') < 0 &&
              System.Net.IPAddress.TryParse(value, out var v6) &&
              v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !v6.IsIPv4MappedToIPv6
            : IsIPv4Syntax(value);
        return valid ? [] : ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"];
    }

    /// <summary>Checks that <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="value">The number to check.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The error messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsInRange(int value, int min, int max) =>
        value >= min && value <= max ? [] : [InclusiveRangeError(min, max)];

    /// <summary>The Kubernetes message for a string that is too long.</summary>
    /// <param name="length">The maximum length.</param>
    /// <returns>"must be no more than N characters".</returns>
    public static string MaxLenError(int length) =>
        string.Create(CultureInfo.InvariantCulture, $"must be no more than {length} characters");

    /// <summary>The Kubernetes message for an empty string that must not be empty.</summary>
    /// <returns>"must be non-empty".</returns>
    public static string EmptyError() => "must be non-empty";

    /// <summary>The Kubernetes message for a number outside an inclusive range.</summary>
    /// <param name="lo">The smallest allowed value.</param>
    /// <param name="hi">The largest allowed value.</param>
    /// <returns>"must be between LO and HI, inclusive".</returns>
    public static string InclusiveRangeError(int lo, int hi) =>
        string.Create(CultureInfo.InvariantCulture, $"must be between {lo} and {hi}, inclusive");

    /// <summary>
    /// The Kubernetes message for a string that does not match a pattern, with examples
    /// (<c>RegexError</c>); the odd ",  or " spacing is Kubernetes' own and is kept.
    /// </summary>
    /// <param name="message">What the string must look like.</param>
    /// <param name="pattern">The pattern the string was validated against.</param>
    /// <param name="examples">Valid examples.</param>
    /// <returns>The composed message.</returns>
    public static string RegexError(string message, string pattern, params ReadOnlySpan<string> examples)
    {
        if (examples.IsEmpty)
        {
            return message + " (regex used for validation is '" + pattern + "')";
        }

        var sb = new StringBuilder(message).Append(" (e.g. ");
        for (int i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(" or ");
            }

            sb.Append('\'').Append(examples[i]).Append("', ");
        }

        return sb.Append("regex used for validation is '").Append(pattern).Append("')").ToString();
    }

    /// <summary><c>[a-z0-9]([-a-z0-9]*[a-z0-9])?</c>, without the length limit.</summary>
    internal static bool IsDns1123LabelSyntax(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !IsLowerAlnum(value[0]) || !IsLowerAlnum(value[^1]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsLowerAlnum(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Dot-separated RFC 1123 labels, without the length limit.</summary>
    internal static bool IsDns1123SubdomainSyntax(ReadOnlySpan<char> value)
    {
        foreach (Range part in value.Split('.'))
        {
            if (!IsDns1123LabelSyntax(value[part]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]</c>, without the length limit.</summary>
    internal static bool IsQualifiedNameSyntax(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIPv4Syntax(ReadOnlySpan<char> value)
    {
        int octets = 0;
        foreach (Range part in value.Split('.'))
        {
            ReadOnlySpan<char> octet = value[part];
            // A leading zero is refused, as Go's net.ParseIP does: .NET's IPAddress.Parse (which the
            // proxy and the dataplane use) reads "010" as octal 8, so the object would name one
            // address and traffic would go to another.
            if (++octets > 4 || octet.IsEmpty || octet.Length > 3 || (octet.Length > 1 && octet[0] == '0'))
            {
                return false;
            }

            int n = 0;
            foreach (char c in octet)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                n = (n * 10) + (c - '0');
            }

            if (n > 255)
            {
                return false;
            }
        }

        return octets == 4;
    }

    private static bool IsLowerAlnum(char c) => IsAsciiLower(c) || char.IsAsciiDigit(c);

    private static bool IsAsciiLower(char c) => c is >= 'a' and <= 'z';

    // Go's len() counts UTF-8 bytes; UTF-16 length is a lower bound, so only count when it matters.
    private static int ByteLength(string value) =>
        value.Length > Dns1123SubdomainMaxLength || Ascii.IsValid(value) ? value.Length : Encoding.UTF8.GetByteCount(value);

    private static void Add(ref List<string>? errors, string message) => (errors ??= []).Add(message);

    private static IReadOnlyList<string> Result(List<string>? errors) => errors is null ? Array.Empty<string>() : errors;
}
