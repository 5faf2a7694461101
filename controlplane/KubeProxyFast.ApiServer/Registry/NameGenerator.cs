namespace KubeProxyFast.ApiServer.Registry;

/// <summary>Names from <c>generateName</c>: the prefix plus five random characters, as Kubernetes.</summary>
internal static class NameGenerator
{
    // Kubernetes' alphabet: no vowels (no words) and no look-alike characters.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int RandomLength = 5;
    private const int MaxNameLength = 63;

    public static string Generate(string prefix)
    {
        if (prefix.Length > MaxNameLength - RandomLength)
        {
            prefix = prefix[..(MaxNameLength - RandomLength)];
        }

        return string.Create(prefix.Length + RandomLength, prefix, static (span, p) =>
        {
            p.AsSpan().CopyTo(span);
            for (var i = p.Length; i < span.Length; i++)
            {
                span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
            }
        });
    }
}
