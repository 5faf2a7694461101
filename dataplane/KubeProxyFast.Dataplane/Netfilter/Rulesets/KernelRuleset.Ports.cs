using System.Net;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>The chains and sets of one service port.</summary>
internal sealed partial class KernelRuleset
{
    /// <summary>
    /// Adds the chains and sets of a ClientIP port (not its elements): one chain per endpoint with
    /// its affinity set, the service chain, and the external chain for node ports and external IPs.
    /// A port without affinity has none of its own: it is elements that lead to pick chains.
    /// </summary>
    private static void AddPortChains(NfBatch batch, ServicePortSpec spec)
    {
        if (UsesSlots(spec))
        {
            return;
        }

        var stem = Stem(spec.Id);
        foreach (var endpoint in spec.Endpoints)
        {
            AddEndpoint(batch, spec, stem, endpoint);
        }

        NfChain.Add(batch, Table, ServiceChain(stem));
        WriteServiceRules(batch, spec, stem);
        if (NeedsExternalChain(spec))
        {
            AddExternalChain(batch, stem);
        }
    }

    /// <summary>Removes what <see cref="AddPortChains"/> added; the elements that lead there must be gone first.</summary>
    private static void RemovePortChains(NfBatch batch, ServicePortSpec spec)
    {
        if (UsesSlots(spec))
        {
            return;
        }

        var stem = Stem(spec.Id);
        if (NeedsExternalChain(spec))
        {
            RemoveChain(batch, ExternalChain(stem));
        }

        RemoveChain(batch, ServiceChain(stem));
        foreach (var endpoint in spec.Endpoints)
        {
            RemoveEndpoint(batch, stem, endpoint);
        }
    }

    /// <summary>A ClientIP port's service chain: sticky clients first, then a random choice by per-rule numgen probabilities.</summary>
    private static void WriteServiceRules(NfBatch batch, ServicePortSpec spec, string stem)
    {
        var endpoints = spec.Endpoints;
        if (endpoints.Length == 0)
        {
            return;
        }

        var service = ServiceChain(stem);
        var targets = new string[endpoints.Length];
        for (var i = 0; i < endpoints.Length; i++)
        {
            targets[i] = EndpointChain(stem, endpoints[i]);
            RuleWriters.StickyGoto(batch, service, AffinitySet(stem, endpoints[i]), targets[i]);
        }

        RuleWriters.RandomGoto(batch, service, targets);
    }

    /// <summary>A ClientIP port's external chain (node port, external IPs): mark for masquerade, then the service chain.</summary>
    private static void AddExternalChain(NfBatch batch, string stem)
    {
        var external = ExternalChain(stem);
        NfChain.Add(batch, Table, external);
        RuleWriters.Jump(batch, external, MasqMark);
        RuleWriters.Verdict(batch, external, NFT_GOTO, ServiceChain(stem));
    }

    /// <summary>A ClientIP port's endpoint: its affinity set and chain (<c>update @aff { ip saddr }</c>, then DNAT).</summary>
    private static void AddEndpoint(NfBatch batch, ServicePortSpec spec, string stem, IPEndPoint endpoint)
    {
        var chain = EndpointChain(stem, endpoint);
        var affinity = AffinitySet(stem, endpoint);
        NfSet.Add(batch, Table, affinity, AffinitySetShape, batch.NewSetId(), spec.Affinity.Timeout, AffinitySetSize);
        NfChain.Add(batch, Table, chain);
        RuleWriters.UpdateAffinity(batch, chain, affinity);
        RuleWriters.Dnat(batch, chain, ProtocolNumber(spec), endpoint);
    }

    private static void RemoveEndpoint(NfBatch batch, string stem, IPEndPoint endpoint)
    {
        RemoveChain(batch, EndpointChain(stem, endpoint));
        NfSet.Delete(batch, Table, AffinitySet(stem, endpoint));
    }

    private static void RemoveChain(NfBatch batch, string chain)
    {
        NfChain.Flush(batch, Table, chain);
        NfChain.Delete(batch, Table, chain);
    }

    private static byte ProtocolNumber(ServicePortSpec spec) => spec.Protocol == L4Protocol.Tcp ? IPPROTO_TCP : IPPROTO_UDP;
}
