using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace KubeProxyFast.Kubelet.Images;

/// <summary>
/// An image reference as the kubelet reads <c>container.image</c>: <c>[domain/]path[:tag][@digest]</c>
/// with the grammar of the distribution reference library (lower-case path components separated by
/// <c>.</c>, <c>_</c>, <c>__</c> or dashes; tags of at most 128 word characters, dots and dashes;
/// digests <c>algorithm:hex</c>). Written from the grammar, not from its code.
/// </summary>
public sealed partial record ImageReference(string Name, string? Tag, string? Digest)
{
    /// <summary>The tag Kubernetes assumes when there is neither tag nor digest.</summary>
    public const string DefaultTag = "latest";

    /// <summary>
    /// The reference with Kubernetes' default tag applied (<c>busybox</c> → <c>busybox:latest</c>);
    /// a digest-only reference stays as it is.
    /// </summary>
    public string WithDefaultTag => Name + (Tag is not null ? ":" + Tag : Digest is null ? ":" + DefaultTag : "") + (Digest is not null ? "@" + Digest : "");

    /// <summary>Kubernetes' default pull policy: Always for <c>:latest</c> or no tag and no digest, else IfNotPresent.</summary>
    public string DefaultPullPolicy => Tag == DefaultTag || (Tag is null && Digest is null) ? "Always" : "IfNotPresent";

    /// <summary>Parses <paramref name="image"/>; false when it is not a valid reference.</summary>
    public static bool TryParse(string? image, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = null;
        if (string.IsNullOrEmpty(image) || image.Length > 4096)
        {
            return false;
        }

        var match = Grammar().Match(image);
        if (!match.Success || match.Groups["name"].Value.Length > 255)
        {
            return false;
        }

        reference = new ImageReference(
            match.Groups["name"].Value,
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            match.Groups["digest"].Success ? match.Groups["digest"].Value : null);
        return true;
    }

    // domain: host components (letters, digits, dashes; dots between), optional :port — or an IPv6 literal in brackets;
    // it is a domain only when followed by '/', so "busybox:1" reads as a name and a tag.
    [GeneratedRegex("""
        ^(?<name>
            (?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?/)?
            [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*
            (?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*
        )
        (?::(?<tag>[\w][\w.-]{0,127}))?
        (?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
