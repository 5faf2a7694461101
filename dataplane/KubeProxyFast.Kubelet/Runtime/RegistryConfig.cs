using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeProxyFast.Kubelet.Runtime;

/// <summary>
/// Registry mirrors and per-registry settings, in the shape of k3s's <c>registries.yaml</c>
/// (<c>--registry-config</c>):
/// <code>
/// mirrors:
///   docker.io:
///     endpoint: ["http://198.18.0.1:5000"]
/// configs:
///   "198.18.0.1:5000":
///     tls:
///       insecure_skip_verify: true
///     auth:
///       username: u
///       password: p
/// </code>
/// A plain-HTTP registry is a mirror whose endpoint is an <c>http://</c> URL (for itself or another
/// host), as in k3s.
/// </summary>
public sealed record RegistryConfig
{
    /// <summary>No mirrors, no settings.</summary>
    public static RegistryConfig Empty { get; } = new();

    /// <summary>Registry host (<c>docker.io</c>, <c>host:port</c>, or <c>*</c>) → endpoints tried in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Mirrors { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Registry host → TLS and credentials.</summary>
    public IReadOnlyDictionary<string, RegistryHostConfig> Configs { get; init; } = new Dictionary<string, RegistryHostConfig>();

    /// <summary>Reads <paramref name="path"/>; a missing file, bad YAML or a wrong shape throws <see cref="InvalidDataException"/> naming it.</summary>
    public static RegistryConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"registry config {path}: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses registries.yaml text; <paramref name="source"/> names it in errors.</summary>
    public static RegistryConfig Parse(string yaml, string source = "registries.yaml")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"registry config {source}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return Empty;
        }

        var root = Map(stream.Documents[0].RootNode, source, "the document");
        var mirrors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var configs = new Dictionary<string, RegistryHostConfig>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            switch (Scalar(key, source, "a key"))
            {
                case "mirrors":
                    foreach (var (host, mirror) in Map(value, source, "mirrors").Children)
                    {
                        var name = Scalar(host, source, "a mirror's host");
                        var endpoints = new List<string>();
                        foreach (var (field, fieldValue) in Map(mirror, source, $"mirrors.{name}").Children)
                        {
                            if (Scalar(field, source, "a key") == "endpoint")
                            {
                                foreach (var endpoint in Sequence(fieldValue, source, $"mirrors.{name}.endpoint"))
                                {
                                    var url = Scalar(endpoint, source, $"mirrors.{name}.endpoint");
                                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                                    {
                                        throw new InvalidDataException($"registry config {source}: mirrors.{name}.endpoint: {url} is not an http:// or https:// URL");
                                    }
                                    endpoints.Add(url);
                                }
                            }
                        }
                        mirrors[name] = endpoints;
                    }
                    break;
                case "configs":
                    foreach (var (host, config) in Map(value, source, "configs").Children)
                    {
                        var name = Scalar(host, source, "a config's host");
                        configs[name] = ParseHost(Map(config, source, $"configs.{name}"), source, name);
                    }
                    break;
                default:
                    // Unknown top-level keys (k3s's "rewrite" per mirror lives under mirrors) are ignored, as k3s does.
                    break;
            }
        }

        return new RegistryConfig { Mirrors = mirrors, Configs = configs };
    }

    private static RegistryHostConfig ParseHost(YamlMappingNode node, string source, string host)
    {
        var config = new RegistryHostConfig();
        foreach (var (key, value) in node.Children)
        {
            var name = Scalar(key, source, "a key");
            if (name is not ("tls" or "auth"))
            {
                continue;
            }
            foreach (var (field, fieldValue) in Map(value, source, $"configs.{host}.{name}").Children)
            {
                var f = Scalar(field, source, "a key");
                var v = Scalar(fieldValue, source, $"configs.{host}.{name}.{f}");
                config = (name, f) switch
                {
                    ("tls", "insecure_skip_verify") => config with { InsecureSkipVerify = bool.TryParse(v, out var b) ? b : throw new InvalidDataException($"registry config {source}: configs.{host}.tls.insecure_skip_verify: {v} is not true or false") },
                    ("tls", "ca_file") => config with { CaFile = v },
                    ("tls", "cert_file") => config with { CertFile = v },
                    ("tls", "key_file") => config with { KeyFile = v },
                    ("auth", "username") => config with { Username = v },
                    ("auth", "password") => config with { Password = v },
                    ("auth", "auth") => config with { Auth = v },
                    ("auth", "identity_token") => config with { IdentityToken = v },
                    _ => config,
                };
            }
        }
        return config;
    }

    private static YamlMappingNode Map(YamlNode node, string source, string what) => node switch
    {
        YamlMappingNode map => map,
        YamlScalarNode { Value: null or "" } => new YamlMappingNode(),
        _ => throw new InvalidDataException($"registry config {source}: {what} at line {node.Start.Line} must be a mapping"),
    };

    private static IEnumerable<YamlNode> Sequence(YamlNode node, string source, string what) => node switch
    {
        YamlSequenceNode seq => seq.Children,
        _ => throw new InvalidDataException($"registry config {source}: {what} at line {node.Start.Line} must be a list"),
    };

    private static string Scalar(YamlNode node, string source, string what) => node switch
    {
        YamlScalarNode { Value: { } v } => v,
        _ => throw new InvalidDataException($"registry config {source}: {what} at line {node.Start.Line} must be a string"),
    };
}

/// <summary>TLS and credentials for one registry host (a <c>configs</c> entry of registries.yaml).</summary>
public sealed record RegistryHostConfig
{
    /// <summary>Skip verifying the registry's certificate.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>CA bundle to verify the registry with.</summary>
    public string? CaFile { get; init; }

    /// <summary>Client certificate.</summary>
    public string? CertFile { get; init; }

    /// <summary>Client key.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Basic-auth user.</summary>
    public string? Username { get; init; }

    /// <summary>Basic-auth password.</summary>
    public string? Password { get; init; }

    /// <summary>base64(user:password).</summary>
    public string? Auth { get; init; }

    /// <summary>Bearer identity token.</summary>
    public string? IdentityToken { get; init; }
}
