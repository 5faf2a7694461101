using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// The CAs client certificates must chain to: <c>--client-ca-file</c>, read again when it changes
/// (checked at most once a second), or else — as a kubelet whose authentication is delegated —
/// <c>client-ca-file</c> of ConfigMap <c>kube-system/extension-apiserver-authentication</c>, which
/// the apiserver publishes, read at start and every refresh interval. Until one is read no client
/// certificate verifies (bearer tokens still do).
/// </summary>
internal sealed class ClientCertificateAuthorities : IAsyncDisposable
{
    /// <summary>The ConfigMap the apiserver publishes its client CA in, as kube-apiserver.</summary>
    public const string ConfigMapNamespace = "kube-system";

    /// <summary>Its name.</summary>
    public const string ConfigMapName = "extension-apiserver-authentication";

    /// <summary>The key of the client CA bundle (PEM) in it.</summary>
    public const string ClientCaKey = "client-ca-file";

    private static readonly TimeSpan FileCheckInterval = TimeSpan.FromSeconds(1);

    private readonly string? _file;
    private readonly KubeClient _client;
    private readonly TimeSpan _refresh;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _fileLock = new();
    private volatile X509Certificate2Collection _current = [];
    private string _pem = "";
    private DateTime _fileStamp;
    private long _checkedAt = long.MinValue;
    private Task _loop = Task.CompletedTask;

    public ClientCertificateAuthorities(string? file, KubeClient client, TimeSpan refresh, TimeProvider time, ILogger logger)
    {
        _file = file;
        _client = client;
        _refresh = refresh;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reads the CAs a first time (a file that cannot be read is an error); from the ConfigMap, keeps reading it in the background.</summary>
    /// <exception cref="IOException">The <c>--client-ca-file</c> cannot be read or holds no certificate.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_file is not null)
        {
            ReadFile(throwOnError: true);
            return;
        }

        await RefreshFromConfigMapAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => RefreshLoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>The CAs as they are now.</summary>
    public X509Certificate2Collection Current
    {
        get
        {
            if (_file is not null)
            {
                ReadFile(throwOnError: false);
            }

            return _current;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private void ReadFile(bool throwOnError)
    {
        lock (_fileLock)
        {
            var now = Environment.TickCount64;
            if (!throwOnError && now - _checkedAt < (long)FileCheckInterval.TotalMilliseconds)
            {
                return;
            }

            _checkedAt = now;
            try
            {
                var stamp = File.GetLastWriteTimeUtc(_file!);
                if (stamp == _fileStamp && _current.Count > 0)
                {
                    return;
                }

                Use(File.ReadAllText(_file!), "--client-ca-file " + _file);
                _fileStamp = stamp;
            }
            catch (Exception e) when (!throwOnError && e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                // Half-written by a rotation: the last good CAs stay, the next check reads it again.
            }
            catch (Exception e) when (e is UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new IOException($"--client-ca-file {_file}: {e.Message}", e);
            }
        }
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_refresh, _time, cancellationToken).ConfigureAwait(false);
                await RefreshFromConfigMapAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RefreshFromConfigMapAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await _client.GetAsync<ConfigMap>(ConfigMapNamespace, ConfigMapName, cancellationToken).ConfigureAwait(false);
            if (map.Data?.GetValueOrDefault(ClientCaKey) is not { Length: > 0 } pem)
            {
                KubeletServerLog.ClientCaUnavailable(_logger, $"the ConfigMap has no {ClientCaKey}");
                return;
            }

            Use(pem, $"ConfigMap {ConfigMapNamespace}/{ConfigMapName}");
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or System.Security.Cryptography.CryptographicException or IOException)
        {
            // The previous CAs stay: a restarting apiserver does not lock out its own kubelet client.
            KubeletServerLog.ClientCaUnavailable(_logger, e.Message);
        }
    }

    private void Use(string pem, string source)
    {
        if (pem == _pem)
        {
            return;
        }

        var authorities = PemFiles.ParseCertificates(pem);
        _current = authorities;
        _pem = pem;
        KubeletServerLog.ClientCaLoaded(_logger, authorities.Count, source);
    }
}
