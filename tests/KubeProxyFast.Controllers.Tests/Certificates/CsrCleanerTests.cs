using System.Security.Cryptography;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Client;
using KubeProxyFast.Controllers.Certificates;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.Certificates;

public sealed class CsrCleanerTests : CsrTestBase
{
    [Fact]
    public async Task Cleaner_ClockMoved_DeletesIssuedAfterAnHourAndPendingAfterADay()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await RunApproverAndSignerAsync();
        await CreateAsync(Requester("system:bootstrap:abcdef", Bootstrappers), "issued", RequestPem(key, "system:node:n1", [Nodes]), SignerNames.KubeApiServerClientKubelet, ClientUsages);
        await IssuedAsync("issued");
        await CreateAsync(Admin, "pending", RequestPem(key, "bob", ["devs"]), SignerNames.KubeApiServerClient, [KeyUsages.ClientAuth]);
        await RunAsync(c => [new CsrCleanerController(c, new CsrCleanerOptions())], Time);

        // Two hours on: the issued request goes, the pending one (a day's grace) stays.
        await AdvanceUntilAsync(TimeSpan.FromHours(2), async () => !await ExistsAsync("issued"));
        Assert.True(await ExistsAsync("pending"));

        await AdvanceUntilAsync(TimeSpan.FromHours(23), async () => !await ExistsAsync("pending"));
    }

    private async Task<bool> ExistsAsync(string name)
    {
        try
        {
            await Admin.GetAsync<CertificateSigningRequest>(null, name);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>Moves the clock by <paramref name="by"/>, then an hour (a poll) at a time, until <paramref name="done"/>.</summary>
    private async Task AdvanceUntilAsync(TimeSpan by, Func<Task<bool>> done)
    {
        // The cleaner waits on the fake clock's timer only after its first pass: wait for it to be armed.
        await Eventually.True(() => Time.ActiveTimers > 0, "cleaner waiting for its next poll", Within);
        Time.Advance(by);
        await Eventually.True(async () =>
        {
            if (await done())
            {
                return true;
            }

            Time.Advance(TimeSpan.FromHours(1));
            return false;
        }, "cleaned", Within);
    }
}
