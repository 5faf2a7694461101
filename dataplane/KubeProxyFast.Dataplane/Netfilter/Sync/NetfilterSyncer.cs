using System.Diagnostics;
using KubeProxyFast.Dataplane.Netfilter.Conntrack;
using KubeProxyFast.Dataplane.Netfilter.Rulesets;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Netlink.NfTables;

namespace KubeProxyFast.Dataplane.Netfilter.Sync;

/// <summary>
/// Programs our nf_tables table <c>ip kpf</c> from snapshots. The first sync, and the first after
/// any failure, is full: one batch that replaces the table. Later syncs send only what changed
/// since the last snapshot the kernel accepted, also as one batch. A refused batch changes
/// nothing in the kernel, so the previous rules stay in force; the next sync is then full.
/// <see cref="Reconcile"/> reads the table back and repairs drift (a chain or the whole table
/// deleted by someone) with a full sync. Not thread-safe: one sync loop owns it. It programs the
/// network namespace of the thread that created it.
/// </summary>
public sealed class NetfilterSyncer : IDisposable
{
    private readonly NfTablesConnection _connection;
    private readonly INetfilterRuleset _ruleset;
    private readonly NfBatch _batch;
    private readonly ConntrackCleaner _conntrack;
    private readonly bool _userspace;
    private readonly SnapshotRulesValidator _validator = new();
    private bool _fullSyncNeeded = true;

    private NetfilterSyncer(INetfilterRuleset ruleset, bool userspace)
    {
        _connection = NfTablesConnection.Open();
        _ruleset = ruleset;
        _batch = _connection.CreateBatch();
        _userspace = userspace;
        _conntrack = new ConntrackCleaner();
    }

    /// <summary>The snapshot the kernel holds rules for (empty before the first sync).</summary>
    public ProxySnapshot Programmed { get; private set; } = ProxySnapshot.Empty;

    /// <summary>True when the next sync will replace the whole table.</summary>
    public bool FullSyncNeeded => _fullSyncNeeded;

    /// <summary>A syncer for kernel mode (DNAT to endpoints).</summary>
    public static NetfilterSyncer ForKernelMode() => new(new KernelRuleset(), userspace: false);

    /// <summary>
    /// A syncer for userspace mode: service addresses are redirected to
    /// <paramref name="proxyPort"/>(id), the local port where the proxy serves that service port.
    /// </summary>
    public static NetfilterSyncer ForUserspaceMode(Func<ServicePortId, int?> proxyPort) => new(new UserspaceRuleset(proxyPort), userspace: true);

    /// <summary>
    /// Makes the kernel hold <paramref name="snapshot"/>. Throws <see cref="ArgumentException"/>
    /// (nothing sent) for a snapshot that cannot be programmed, and
    /// <see cref="NetfilterException"/> when the kernel refuses the batch (the previous rules stay).
    /// </summary>
    public SyncResult Sync(ProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var started = Stopwatch.GetTimestamp();
        var full = _fullSyncNeeded;
        // One diff serves the check, the incremental batch and the conntrack cleanup after it.
        var diff = SnapshotDiff.Compute(Programmed, snapshot);
        var claims = full ? SnapshotRulesValidator.CheckAll(snapshot) : _validator.CheckChanges(diff);
        _connection.ResetBatch(_batch);
        if (full)
        {
            _ruleset.WriteFull(_batch, snapshot);
        }
        else
        {
            _ruleset.WriteChanges(_batch, snapshot, diff);
        }

        var messages = _batch.MessageCount;
        var bytes = _batch.Writer.Length;
        var committing = Stopwatch.GetTimestamp();
        try
        {
            _connection.Commit(_batch);
        }
        catch
        {
            _fullSyncNeeded = true;
            throw;
        }
        finally
        {
            // A full sync of 50,000 ports writes a batch of tens of MB: give it back.
            if (full)
            {
                _batch.Writer.Trim();
            }
        }

        var kernel = Stopwatch.GetElapsedTime(committing);
        _validator.Accept(claims);
        _fullSyncNeeded = false;
        Programmed = snapshot;
        var (deleted, cleanupError) = CleanUdpFlows(diff);
        return new SyncResult(full, messages, bytes, Stopwatch.GetElapsedTime(started)) { KernelTime = kernel, ConntrackEntriesDeleted = deleted, ConntrackError = cleanupError };
    }

    /// <summary>
    /// Reads the table back and compares it with what <see cref="Programmed"/> needs; returns the
    /// differences found (empty when the kernel holds exactly our chains, sets and map elements).
    /// </summary>
    public IReadOnlyList<string> Verify()
    {
        var expected = _ruleset.Expect(Programmed);
        var actual = NfTableReader.Read(_connection, RulesetNames.Table);
        if (actual is null)
        {
            return [$"table ip {RulesetNames.Table} is missing"];
        }

        var drift = new List<string>();
        foreach (var chain in expected.Chains)
        {
            if (!actual.Chains.TryGetValue(chain, out var rules))
            {
                drift.Add($"chain {chain} is missing");
            }
            else if (rules == 0 && IsNeverEmpty(chain))
            {
                drift.Add($"chain {chain} has no rules");
            }
        }

        drift.AddRange(actual.Chains.Keys.Where(c => !expected.Chains.Contains(c)).Select(c => $"chain {c} is not ours"));
        foreach (var set in expected.Sets)
        {
            if (!actual.Sets.ContainsKey(set))
            {
                drift.Add($"set {set} is missing");
            }
        }

        foreach (var (map, count) in expected.MapElementCounts)
        {
            if (actual.Sets.TryGetValue(map, out var n) && n != count)
            {
                drift.Add($"map {map} holds {n} elements, not {count}");
            }
        }

        return drift;
    }

    /// <summary>Verifies the table and, when it drifted, replaces it with a full sync; returns what was repaired.</summary>
    public IReadOnlyList<string> Reconcile()
    {
        var drift = Verify();
        if (drift.Count > 0)
        {
            _fullSyncNeeded = true;
            Sync(Programmed);
        }

        return drift;
    }

    /// <summary>Makes the next sync a full one (as kube-proxy's periodic full resync).</summary>
    public void RequestFullSync() => _fullSyncNeeded = true;

    /// <summary>Deletes our table (on shutdown, unless the rules are to stay); a missing table is fine.</summary>
    public void DeleteTable()
    {
        _connection.ResetBatch(_batch);
        NfTable.Add(_batch, RulesetNames.Table);
        NfTable.Delete(_batch, RulesetNames.Table);
        _connection.Commit(_batch);
        Programmed = ProxySnapshot.Empty;
        _fullSyncNeeded = true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _conntrack.Dispose();
        _batch.Dispose();
        _connection.Dispose();
    }

    // The rules are in force whatever happens here: a cleanup failure is reported, not thrown.
    private (int Deleted, string? Error) CleanUdpFlows(SnapshotDiff diff)
    {
        try
        {
            return (_userspace ? UdpFlowCleanup.RunUserspace(_conntrack, diff) : UdpFlowCleanup.Run(_conntrack, diff), null);
        }
        catch (Exception e) when (e is NetfilterException or IOException or TimeoutException)
        {
            return (0, e.Message);
        }
    }

    // Service chains of ports without endpoints are empty by design; every other chain has rules.
    private static bool IsNeverEmpty(string chain) => !chain.StartsWith("svc-", StringComparison.Ordinal);
}
