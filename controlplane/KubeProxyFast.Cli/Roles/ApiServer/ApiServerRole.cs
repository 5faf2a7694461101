using KubeProxyFast.ApiServer;
using KubeProxyFast.ApiServer.Registry.Encryption;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.ApiServer.Pki;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Storage.Etcd;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Roles.ApiServer;

/// <summary>
/// The apiserver as a role: opens its store (etcd, or the embedded store in the data directory),
/// waits for it to answer, serves the API over HTTPS with its own PKI (<see cref="ClusterPki"/>) and
/// writes the admin kubeconfig for kubectl. The store is the role's own: it is closed when the role stops.
/// </summary>
internal sealed partial class ApiServerRole : IRole
{
    // Until the store answers, start is retried this often (kube-apiserver waits for etcd likewise).
    private static readonly TimeSpan StoreRetryDelay = TimeSpan.FromSeconds(2);

    private readonly ApiServerSettings _settings;
    private volatile RoleHealth _health = RoleHealth.NotStarted;
    private IStore? _store;
    private ApiServerHost? _host;

    /// <summary>The role, configured by <paramref name="settings"/> (see <see cref="ApiServerFlags"/>).</summary>
    public ApiServerRole(ApiServerSettings settings) => _settings = settings;

    /// <inheritdoc/>
    public string Name => "apiserver";

    /// <inheritdoc/>
    public RoleHealth Health => _health;

    /// <summary>The data directory: the store, the PKI (<c>tls/</c>), the node token.</summary>
    public string DataDirectory => _settings.DataDirectory;

    /// <summary>The base URL served (<c>https://127.0.0.1:6443</c>), once started.</summary>
    public Uri? Url => _host?.Url;

    /// <inheritdoc/>
    public async Task StartAsync(RoleContext context, CancellationToken cancellationToken)
    {
        var logger = context.LoggerFactory.CreateLogger("kpf.server");
        IStore? store = null;
        ApiServerHost? host = null;
        string tokenPath;
        try
        {
            var options = _settings.Options with { Encryption = LoadEncryption(context), Security = LoadSecurity(context) };
            store = OpenStore(context.LoggerFactory.CreateLogger("kpf.store"));
            host = await StartWhenStoreAnswersAsync(store, options, context.LoggerFactory, logger, cancellationToken).ConfigureAwait(false);
            WriteKubeconfig(host.Url);
            tokenPath = await EnsureNodeTokenAsync(host.Url, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }

            DisposeSecurity();
            _health = RoleHealth.NotStarted;
            throw;
        }

        (_store, _host) = (store, host);
        _health = RoleHealth.Serving;
        var on = _settings.EtcdServers is null ? "the embedded store in " + _settings.DataDirectory : "etcd " + _settings.EtcdServers;
        var insecure = host.InsecureUrl is { } plain ? $" (and plain HTTP, no authentication, on {plain})" : "";
        context.Print($"serving {host.Url}{insecure} on {on}");
        context.Print($"kubeconfig written to {_settings.KubeconfigPath} (kubectl --kubeconfig {_settings.KubeconfigPath} get pods)");
        context.Print($"node join token in {tokenPath} (kpf agent --server https://<this host>:{host.Url.Port} --token <its content>)");
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _health = RoleHealth.Stopped;
        if (_host is not null)
        {
            await _host.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        DisposeSecurity();
    }

    private IStore OpenStore(ILogger storeLogger)
    {
        try
        {
            return _settings.EtcdServers is { } servers
                ? new EtcdStore(servers, tls: _settings.EtcdTls?.Load())
                : EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Path.Combine(_settings.DataDirectory, "db"), Repair = _settings.Repair, Logger = storeLogger });
        }
        catch (StoreCorruptionException e) when (e.Repairable)
        {
            throw new RoleException($"cannot open the store: {e.Message}\n" +
                "to keep a copy of the damaged file and cut the log at its last good record, run again with --repair", e);
        }
        catch (Exception e) when (e is StoreCorruptionException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new RoleException($"cannot open the store: {e.Message}", e);
        }
    }

    private async Task<ApiServerHost> StartWhenStoreAnswersAsync(IStore store, ApiServerOptions options, ILoggerFactory loggerFactory, ILogger logger, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await ApiServerHost.StartAsync(store, options, loggerFactory, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException e)
            {
                _health = RoleHealth.NotReady("waiting for the store: " + e.Message);
                LogWaiting(logger, e.Message);
            }
            catch (ArgumentException e)
            {
                throw new RoleException(e.Message, e);
            }
            catch (IOException e)
            {
                throw new RoleException($"cannot listen on {options.BindAddress}:{options.Port}: {e.Message}", e);
            }

            await Task.Delay(StoreRetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The flag's file, or the data directory's own (made now on a first start); a bad file stops the start, naming the problem.</summary>
    private StorageEncryption LoadEncryption(RoleContext context)
    {
        var path = _settings.EncryptionProviderConfig;
        try
        {
            if (path is not null)
            {
                return EncryptionConfigurationFile.Load(path);
            }

            (var encryption, path, var created) = EncryptionConfigurationFile.LoadOrCreateDefault(_settings.DataDirectory);
            if (created)
            {
                context.Print($"Secrets are encrypted at rest with a new AES-GCM key in {path} (keep it with the data)");
            }

            return encryption;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new RoleException($"--encryption-provider-config {path ?? Path.Combine(_settings.DataDirectory, EncryptionConfigurationFile.DefaultFileName)}: {e.Message}", e);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "waiting for the store: {Error}")]
    private static partial void LogWaiting(ILogger logger, string error);
}
