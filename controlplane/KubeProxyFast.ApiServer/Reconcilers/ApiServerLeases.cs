using System.Buffers;
using System.Globalization;
using System.Text.Json;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Reconcilers;

/// <summary>One apiserver's claim to be serving: its address and port, until it expires.</summary>
/// <param name="Address">The address clients reach it at.</param>
/// <param name="Port">The port it serves.</param>
/// <param name="Expires">When the claim lapses unless renewed.</param>
internal readonly record struct ApiServerLease(string Address, int Port, DateTimeOffset Expires);

/// <summary>
/// The apiservers sharing a store, as Kubernetes' lease endpoint reconciler keeps them
/// (<c>/registry/masterleases/&lt;ip&gt;</c> with an etcd lease): each server rewrites its own key
/// every interval with an expiry one TTL ahead, and a key past its expiry belongs to a server
/// that stopped. The expiry is kept in the value rather than in a store lease
/// (<see cref="IStore.GrantLeaseAsync"/>): such a lease cannot be renewed, only replaced, and it
/// starts its whole time again when the store restarts, whereas the value says when the claim
/// lapses to every server that reads it. Whichever server reads a lapsed key deletes it (only if
/// nobody renewed it since).
/// </summary>
internal sealed class ApiServerLeases
{
    /// <summary>Where the leases live.</summary>
    public const string Prefix = StoreKeys.Root + "masterleases/";

    private readonly IStore _store;

    public ApiServerLeases(IStore store) => _store = store;

    /// <summary>The key of one server's lease (the port is part of it: servers on one host differ by port alone).</summary>
    public static string Key(string address, int port) => Prefix + address + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes (or renews) this server's lease.</summary>
    public async Task RenewAsync(ApiServerLease lease, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = KubeJson.CreateWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("address", lease.Address);
            writer.WriteNumber("port", lease.Port);
            writer.WriteString("expires", lease.Expires.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        var key = Key(lease.Address, lease.Port);
        await _store.CommitAsync(new StoreTxn([], [new StorePut(key, buffer.WrittenMemory.ToArray())]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes this server's lease (it is stopping).</summary>
    public async Task RemoveAsync(string address, int port, CancellationToken cancellationToken) =>
        await _store.CommitAsync(new StoreTxn([], [new StoreDelete(Key(address, port))]), cancellationToken).ConfigureAwait(false);

    /// <summary>The leases not expired at <paramref name="now"/>; the expired ones (and unreadable ones) are deleted.</summary>
    public async Task<List<ApiServerLease>> ListLiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A few entries, one per apiserver: read in one list.
        var list = await _store.ListAsync(Prefix, null, cancellationToken).ConfigureAwait(false);
        var live = new List<ApiServerLease>(list.Items.Count);
        foreach (var value in list.Items)
        {
            if (TryParse(value.Value.Span, out var lease) && lease.Expires > now)
            {
                live.Add(lease);
                continue;
            }

            // Only if still the lapsed value: a server that renewed meanwhile keeps its lease.
            await _store.CommitAsync(
                new StoreTxn([new StoreCondition(value.Key, value.ModRevision)], [new StoreDelete(value.Key)]), cancellationToken).ConfigureAwait(false);
        }

        return live;
    }

    private static bool TryParse(ReadOnlySpan<byte> json, out ApiServerLease lease)
    {
        lease = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            lease = new ApiServerLease(
                root.GetProperty("address").GetString() ?? "",
                root.GetProperty("port").GetInt32(),
                DateTimeOffset.Parse(root.GetProperty("expires").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
            return lease.Address.Length > 0;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return false;
        }
    }
}
