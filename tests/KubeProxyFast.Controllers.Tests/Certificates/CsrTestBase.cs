using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Controllers.Certificates;
using KubeProxyFast.Pki;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Controllers.Tests.Certificates;

/// <summary>
/// A secured apiserver with its own server and client CAs, and the certificate controllers run as
/// the controller manager runs them, as the admin (its identity has every permission, as
/// kube-controller-manager's approve/sign grants). Requesters create their CSRs with their own
/// client certificates. Until the RBAC authorizer is on main, a requester that is not admin also
/// carries <c>system:masters</c> so the apiserver lets it create a CSR at all: the controllers
/// judge only the <c>system:bootstrappers</c>/<c>system:nodes</c> groups and the user name, which
/// the server records from the certificate.
/// </summary>
public abstract class CsrTestBase : IAsyncLifetime
{
    protected const string Masters = "system:masters";
    protected const string Bootstrappers = "system:bootstrappers";
    protected const string Nodes = "system:nodes";

    protected static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    protected static readonly string[] ClientUsages = [KeyUsages.DigitalSignature, KeyUsages.KeyEncipherment, KeyUsages.ClientAuth];

    private readonly List<(CancellationTokenSource Stop, Task Run, ControllerContext Context, SharedInformerFactory Informers)> _running = [];
    private readonly List<IDisposable> _owned = [];

    protected SecuredApiServer Server { get; private set; } = null!;

    protected KubeClient Admin { get; private set; } = null!;

    /// <summary>The cleaner's clock, starting now; tests move it.</summary>
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        Server = await SecuredApiServer.StartAsync();
        Admin = Own(Server.ClientAs("admin", Masters));
    }

    public async Task DisposeAsync()
    {
        foreach (var (stop, run, context, informers) in _running)
        {
            await stop.CancelAsync();
            await run.WaitAsync(Within);
            await informers.DisposeAsync();
            await context.DisposeAsync();
            stop.Dispose();
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await Server.DisposeAsync();
    }

    /// <summary>Runs the approver and a signer with the server's client CA for both client signers and its server CA for kubelet serving.</summary>
    protected Task RunApproverAndSignerAsync() =>
        RunAsync(c => [new CsrApprovingController(c, new CsrApprovingOptions()), new CsrSigningController(c, SigningOptions())], TimeProvider.System);

    protected CsrSigningOptions SigningOptions()
    {
        var dir = Server.Directory;
        PemFiles.WriteAuthority(Path.Combine(dir, "client-ca.crt"), Path.Combine(dir, "client-ca.key"), Server.ClientCa);
        PemFiles.WriteAuthority(Path.Combine(dir, "server-ca.crt"), Path.Combine(dir, "server-ca.key"), Server.ServerCa);
        return CsrSigningOptions.ForClusterPki(
            Path.Combine(dir, "client-ca.crt"), Path.Combine(dir, "client-ca.key"), Path.Combine(dir, "server-ca.crt"), Path.Combine(dir, "server-ca.key"));
    }

    /// <summary>
    /// Builds controllers on one fresh context (as one leadership term) on <paramref name="time"/>,
    /// starts its informers and runs them. The approver and signer keep real time (their queues'
    /// retries wait on it); the cleaner runs on <see cref="Time"/>, which tests move.
    /// </summary>
    protected async Task RunAsync(Func<ControllerContext, IReadOnlyList<IController>> build, TimeProvider time)
    {
        var informers = new SharedInformerFactory(Admin);
        var context = new ControllerContext(Admin, informers, NullLoggerFactory.Instance, time);
        var controllers = build(context);
        var stop = new CancellationTokenSource();
        informers.Start(stop.Token);
        await informers.WaitForCacheSyncAsync().WaitAsync(Within);
        _running.Add((stop, Task.WhenAll(controllers.Select(c => c.RunAsync(stop.Token))), context, informers));
    }

    protected T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>A client of <paramref name="user"/> in <paramref name="groups"/>, with <c>system:masters</c> added so it may create (see the class).</summary>
    protected KubeClient Requester(string user, params string[] groups) => Own(Server.ClientAs(user, [.. groups, Masters]));

    /// <summary>A request PEM for <paramref name="cn"/> in <paramref name="orgs"/> with <paramref name="key"/>, and any extensions (SANs).</summary>
    protected static byte[] RequestPem(ECDsa key, string cn, string[] orgs, params X509Extension[] extensions) =>
        Encoding.ASCII.GetBytes(SigningRequests.Create(CertificateAuthority.Subject(cn, orgs), key, extensions));

    protected static X509Extension Sans(string[] dns, IPAddress[] ips)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var name in dns)
        {
            builder.AddDnsName(name);
        }

        foreach (var ip in ips)
        {
            builder.AddIpAddress(ip);
        }

        return builder.Build();
    }

    protected static Task<CertificateSigningRequest> CreateAsync(
        KubeClient requester, string name, byte[] request, string signer, IReadOnlyList<string> usages, Action<CertificateSigningRequestSpec>? change = null)
    {
        var spec = new CertificateSigningRequestSpec { Request = request, SignerName = signer, Usages = [.. usages] };
        change?.Invoke(spec);
        return requester.CreateAsync(new CertificateSigningRequest { Metadata = new ObjectMeta { Name = name }, Spec = spec });
    }

    /// <summary>Waits for <paramref name="name"/> to carry a certificate and returns it.</summary>
    protected async Task<X509Certificate2> IssuedAsync(string name)
    {
        byte[]? pem = null;
        await Eventually.True(async () => (pem = (await Admin.GetAsync<CertificateSigningRequest>(null, name)).Status?.Certificate) is { Length: > 0 }, name + " issued", Within);
        return Own(PemFiles.ParseCertificates(Encoding.ASCII.GetString(pem!))[0]);
    }

    /// <summary>
    /// Asserts <paramref name="name"/> stays without approval while a later request, created after
    /// it and approved, shows the approver has looked at both (the queue is FIFO per arrival).
    /// </summary>
    protected async Task AssertStaysPendingAsync(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(Requester("system:bootstrap:marker", Bootstrappers), marker, RequestPem(key, "system:node:marker", [Nodes]), SignerNames.KubeApiServerClientKubelet, ClientUsages);
        await IssuedAsync(marker);
        var csr = await Admin.GetAsync<CertificateSigningRequest>(null, name);
        Assert.DoesNotContain(csr.Status?.Conditions ?? [], c => c.Type == CsrConditionTypes.Approved);
        Assert.Null(csr.Status?.Certificate);
    }
}
