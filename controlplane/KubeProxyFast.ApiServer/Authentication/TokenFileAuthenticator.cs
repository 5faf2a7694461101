using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// Bearer tokens from Kubernetes' static token file (<c>--token-auth-file</c>). The table is keyed
/// by the SHA-256 of each token, so a lookup compares digests of the presented token, never the
/// secrets themselves: the time a lookup takes tells nothing about how close a guess came. A token
/// the file does not hold is not of this kind (<see cref="AuthenticationResult.None"/>), so the
/// other token authenticators may still know it.
/// </summary>
internal sealed partial class TokenFileAuthenticator : ITokenAuthenticator
{
    private readonly Dictionary<string, UserInfo> _users;

    private TokenFileAuthenticator(Dictionary<string, UserInfo> users) => _users = users;

    /// <summary>The number of distinct tokens.</summary>
    public int Count => _users.Count;

    /// <summary>
    /// Reads <paramref name="path"/>. A token listed twice names the user of its last record, with a
    /// warning, as kube-apiserver's tokenfile does.
    /// </summary>
    /// <exception cref="TokenFileException">A malformed record (file and line named).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TokenFileAuthenticator Load(string path, ILogger logger)
    {
        var users = new Dictionary<string, UserInfo>(StringComparer.Ordinal);
        foreach (var entry in TokenFile.Read(path))
        {
            var key = Digest(entry.Token);
            if (users.ContainsKey(key))
            {
                LogDuplicate(logger, path, entry.Line);
            }

            users[key] = entry.User;
        }

        return new TokenFileAuthenticator(users);
    }

    /// <inheritdoc/>
    public ValueTask<AuthenticationResult> AuthenticateTokenAsync(string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_users.TryGetValue(Digest(token), out var user) ? AuthenticationResult.Success(user) : AuthenticationResult.None);

    private static string Digest(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "duplicate token in token file '{Path}' line {Line}: this record replaces the earlier one")]
    private static partial void LogDuplicate(ILogger logger, string path, int line);
}
