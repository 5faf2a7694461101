using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests;

/// <summary>
/// <c>kpf server</c> on an embedded store whose log was damaged between two runs (issue 12,
/// defect 6): it refuses to start with an error naming the file and the byte offset, and
/// <c>--repair</c> keeps a copy, cuts the log at the last good record and serves what was before it.
/// </summary>
public sealed class ServerCommandRepairTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-repair-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Server_DamagedLog_RefusesNamingFileAndOffsetAndRepairKeepsACopy()
    {
        await using (var server = await Server.StartAsync(_directory))
        {
            for (var i = 0; i < 20; i++)
            {
                using var created = await server.Http.PostAsJsonAsync("/api/v1/namespaces", new { apiVersion = "v1", kind = "Namespace", metadata = new { name = $"team-{i:D2}" } });
                Assert.Equal(201, (int)created.StatusCode);
            }
        }

        var segment = Assert.Single(Directory.GetFiles(Path.Combine(_directory, "db"), "wal-*.log"));
        var bytes = await File.ReadAllBytesAsync(segment);
        // Inside the namespaces' records (a secured server writes its default policy first): team-10's.
        var at = bytes.AsSpan().IndexOf("\"team-10\""u8);
        var damagedRecord = RecordStartingBefore(bytes, at);
        bytes[at] ^= 0x20;
        await File.WriteAllBytesAsync(segment, bytes);

        var refused = ProcessResult.Run("dotnet", [Server.Kpf, "server", "--data-dir", _directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--disable", "controllers,scheduler"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{segment} is damaged at byte offset {damagedRecord}", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("run again with --repair", refused.Stderr, StringComparison.Ordinal);

        await using (var repaired = await Server.StartAsync(_directory, "--repair"))
        {
            using var list = JsonDocument.Parse(await repaired.Http.GetStringAsync("/api/v1/namespaces"));
            var names = list.RootElement.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("metadata").GetProperty("name").GetString()!).ToList();
            var teams = names.Where(n => n.StartsWith("team-", StringComparison.Ordinal)).ToList();
            using var after = await repaired.Http.PostAsJsonAsync("/api/v1/namespaces", new { apiVersion = "v1", kind = "Namespace", metadata = new { name = "after-repair" } });

            Assert.Contains("default", names);
            Assert.InRange(teams.Count, 1, 19);
            Assert.Equal(Enumerable.Range(0, teams.Count).Select(i => $"team-{i:D2}"), teams);
            Assert.Equal(201, (int)after.StatusCode);
            await Eventually.True(
                () => repaired.Stderr.Any(l => l.Contains($"repair: {segment} is damaged at byte offset {damagedRecord}", StringComparison.Ordinal)),
                "the repair logged on stderr");
        }

        var copy = Assert.Single(Directory.GetFiles(Path.Combine(_directory, "db"), "wal-*.log.*.corrupt"));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(copy));
    }

    /// <summary>The offset of the log record (format 2: an 8-byte magic, then 20-byte headers with the length at +8) that holds byte <paramref name="offset"/>.</summary>
    private static long RecordStartingBefore(byte[] log, long offset)
    {
        long at = 8;
        while (true)
        {
            var next = at + 20 + BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan((int)at + 8));
            if (next > offset)
            {
                return at;
            }

            at = next;
        }
    }

    /// <summary>A kpf server child on a free loopback port, reached as the admin of its kubeconfig, stopped with SIGTERM when disposed.</summary>
    private sealed class Server : IAsyncDisposable
    {
        public static readonly string Kpf = Path.Combine(AppContext.BaseDirectory, "kpf.dll");

        private readonly Process _process;

        private Server(Process process, Uri url, string kubeconfig, ConcurrentQueue<string> stderr)
        {
            _process = process;
            Http = new HttpClient(KubeClient.ReadKubeconfig(kubeconfig).Credentials.CreateHandler()) { BaseAddress = url };
            Stderr = stderr;
        }

        public HttpClient Http { get; }

        /// <summary>The lines written to stderr so far (read as they come).</summary>
        public ConcurrentQueue<string> Stderr { get; }

        public static async Task<Server> StartAsync(string directory, params string[] flags)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            string[] args = [Kpf, "server", "--data-dir", directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--disable", "controllers,scheduler", .. flags];
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            var process = Process.Start(start)!;
            var stderr = new ConcurrentQueue<string>();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    stderr.Enqueue(e.Data);
                }
            };
            process.BeginErrorReadLine();
            string problem;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    // "kpf server: serving https://127.0.0.1:PORT on the embedded store in …", once the kubeconfig is written.
                    if (line.StartsWith("kpf server: serving ", StringComparison.Ordinal))
                    {
                        return new Server(process, new Uri(line.Split(' ')[3]), Path.Combine(directory, "kubeconfig"), stderr);
                    }
                }

                problem = "exited before serving";
            }
            catch (OperationCanceledException)
            {
                problem = "was not serving within 30 s";
            }

            // Not left running behind a failed test, whichever way it failed.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            throw new InvalidOperationException($"kpf server {problem}: " + string.Join('\n', stderr));
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            try
            {
                Assert.True(await ChildProcess.TerminateAsync(_process, TimeSpan.FromSeconds(20)), "kpf server did not stop within 20 s of SIGTERM");
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
