using System.Net;
using KubeProxyFast.Dataplane.Netfilter.NfTables;
using KubeProxyFast.Dataplane.Snapshot;
using static KubeProxyFast.Dataplane.Netfilter.NfTables.NfTablesConstants;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>The chains and sets of one service port.</summary>
internal sealed partial class KernelRuleset
{
    /// <summary>Adds every chain and set of <paramref name="spec"/> (not its map elements).</summary>
    private static void AddPortChains(NfBatch batch, ServicePortSpec spec)
    {
        var stem = Stem(spec.Id);
        foreach (var endpoint in spec.Endpoints)
        {
            AddEndpoint(batch, spec, stem, endpoint);
        }

        var service = ServiceChain(stem);
        NfChain.Add(batch, Table, service);
        WriteServiceRules(batch, spec, stem);
        if (NeedsExternalChain(spec))
        {
            AddExternalChain(batch, stem);
        }
    }

    /// <summary>Removes every chain and set of <paramref name="spec"/>; its map elements must be gone first.</summary>
    private static void RemovePortChains(NfBatch batch, ServicePortSpec spec)
    {
        var stem = Stem(spec.Id);
        if (NeedsExternalChain(spec))
        {
            RemoveChain(batch, ExternalChain(stem));
        }

        RemoveChain(batch, ServiceChain(stem));
        foreach (var endpoint in spec.Endpoints)
        {
            RemoveEndpoint(batch, spec, stem, endpoint);
        }
    }

    private static void AddExternalChain(NfBatch batch, string stem)
    {
        var external = ExternalChain(stem);
        NfChain.Add(batch, Table, external);
        RuleWriters.Jump(batch, external, MasqMark);
        RuleWriters.Verdict(batch, external, NFT_GOTO, ServiceChain(stem));
    }

    /// <summary>The service chain's rules: sticky clients first, then the random choice.</summary>
    private static void WriteServiceRules(NfBatch batch, ServicePortSpec spec, string stem)
    {
        var service = ServiceChain(stem);
        var endpoints = spec.Endpoints;
        if (endpoints.Length == 0)
        {
            return;
        }

        var targets = new string[endpoints.Length];
        for (var i = 0; i < endpoints.Length; i++)
        {
            targets[i] = EndpointChain(stem, endpoints[i]);
            if (spec.Affinity.ClientIP)
            {
                RuleWriters.StickyGoto(batch, service, AffinitySet(stem, endpoints[i]), targets[i]);
            }
        }

        RuleWriters.RandomGoto(batch, service, targets);
    }

    private static void AddEndpoint(NfBatch batch, ServicePortSpec spec, string stem, IPEndPoint endpoint)
    {
        var chain = EndpointChain(stem, endpoint);
        string? affinity = null;
        if (spec.Affinity.ClientIP)
        {
            affinity = AffinitySet(stem, endpoint);
            NfSet.Add(batch, Table, affinity, AffinitySetShape, batch.NewSetId(), spec.Affinity.Timeout, AffinitySetSize);
        }

        NfChain.Add(batch, Table, chain);
        RuleWriters.HairpinMark(batch, chain, endpoint.Address);
        if (affinity is not null)
        {
            RuleWriters.UpdateAffinity(batch, chain, affinity);
        }

        RuleWriters.Dnat(batch, chain, spec.Protocol == L4Protocol.Tcp ? IPPROTO_TCP : IPPROTO_UDP, endpoint);
    }

    private static void RemoveEndpoint(NfBatch batch, ServicePortSpec spec, string stem, IPEndPoint endpoint)
    {
        RemoveChain(batch, EndpointChain(stem, endpoint));
        if (spec.Affinity.ClientIP)
        {
            NfSet.Delete(batch, Table, AffinitySet(stem, endpoint));
        }
    }

    private static void RemoveChain(NfBatch batch, string chain)
    {
        NfChain.Flush(batch, Table, chain);
        NfChain.Delete(batch, Table, chain);
    }
}
