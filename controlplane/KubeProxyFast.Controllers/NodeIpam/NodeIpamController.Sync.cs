using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.NodeIpam;

public sealed partial class NodeIpamController
{
    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (name, shuttingDown) = await _queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (shuttingDown)
            {
                return;
            }

            try
            {
                if (await SyncAsync(name, cancellationToken).ConfigureAwait(false))
                {
                    _queue.Forget(name);
                }
                else
                {
                    _queue.AddRateLimited(name);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the key is dropped with the queue.
            }
#pragma warning disable CA1031 // A worker outlives any failure of one sync: it is logged and retried with backoff.
            catch (Exception e)
#pragma warning restore CA1031
            {
                NodeIpamLog.SyncFailed(_logger, name, e);
                _queue.AddRateLimited(name);
            }
            finally
            {
                _queue.Done(name);
            }
        }
    }

    /// <summary>Gives node <paramref name="name"/> a CIDR, records the one it has, or frees the one it had; false to retry later.</summary>
    private async Task<bool> SyncAsync(string name, CancellationToken cancellationToken)
    {
        var node = _nodes.Lister.Get(null, name);
        if (node is null || node.Metadata.DeletionTimestamp is not null)
        {
            ReleaseOf(name);
            return true;
        }

        var decision = _allocator.Decide(node, out var foreign);
        if (foreign is not null)
        {
            NodeIpamLog.ForeignCidr(_logger, name, foreign, _allocator.Cluster);
            return true;
        }

        if (decision.IsExhausted)
        {
            NodeIpamLog.Exhausted(_logger, name, _allocator.Cluster);
            _recorder.Event(node, "Normal", "CIDRNotAvailable", $"Node {name} status is now: CIDRNotAvailable");
            return false;
        }

        if (decision.Cidr is not { } cidr)
        {
            return true;
        }

        var text = cidr.ToString();
        var patch = $$$"""{"spec":{"podCIDR":"{{{text}}}","podCIDRs":["{{{text}}}"]}}""";
        try
        {
            await _context.Client.PatchAsync<Node>(null, name, PatchType.Merge, patch, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            ReleaseOf(name);
            return true;
        }

        NodeIpamLog.Allocated(_logger, text, name);
        return true;
    }

    private void ReleaseOf(string name)
    {
        var (released, waiting) = _allocator.Release(name);
        if (released is not IPNetwork cidr)
        {
            return;
        }

        NodeIpamLog.Released(_logger, cidr, name);
        foreach (var node in waiting)
        {
            _queue.Add(node);
        }
    }
}
