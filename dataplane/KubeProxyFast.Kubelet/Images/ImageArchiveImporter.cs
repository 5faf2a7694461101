using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Images;

/// <summary>
/// Imports image archives (OCI layout or docker-archive tars) into containerd's <c>k8s.io</c>
/// namespace — where CRI sees them — through <c>ctr --address SOCK -n k8s.io images import</c>, as
/// k3s does with <c>&lt;data&gt;/agent/images/*.tar</c> for machines without registry access.
/// ctr 1.6 unpacks for this machine's platform into the default snapshotter unless told
/// <c>--no-unpack</c>; we name the snapshotter (overlayfs, CRI's) so the image runs at once.
/// </summary>
public sealed partial class ImageArchiveImporter
{
    private readonly string _socketPath;
    private readonly ILogger _logger;
    private readonly string _ctrPath;

    /// <summary>An importer for the containerd at <paramref name="socketPath"/>.</summary>
    public ImageArchiveImporter(string socketPath, ILogger logger, string ctrPath = "ctr")
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        ArgumentNullException.ThrowIfNull(logger);
        _socketPath = socketPath;
        _logger = logger;
        _ctrPath = ctrPath;
    }

    /// <summary>
    /// Imports every <c>*.tar</c> in <paramref name="directory"/> (none when it does not exist), in
    /// name order. One bad archive does not stop the others: all are tried, then an
    /// <see cref="AggregateException"/> of <see cref="ImageImportException"/>s (each naming its
    /// file) is thrown. Returns the files imported.
    /// </summary>
    public async Task<IReadOnlyList<string>> ImportDirectoryAsync(string directory, CancellationToken ct)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var imported = new List<string>();
        var failures = new List<ImageImportException>();
        foreach (var file in Directory.GetFiles(directory, "*.tar").Order(StringComparer.Ordinal))
        {
            try
            {
                await ImportAsync(file, ct).ConfigureAwait(false);
                imported.Add(file);
            }
            catch (ImageImportException e)
            {
                Log.ImportFailed(_logger, file, e.Message);
                failures.Add(e);
            }
        }

        return failures.Count == 0 ? imported : throw new AggregateException($"{failures.Count} image archive(s) in {directory} could not be imported", failures);
    }

    /// <summary>
    /// Builds the sandbox (pause) image (<see cref="SandboxImage"/>) as <c>kpf-pause.tar</c> in
    /// <paramref name="workDirectory"/> and imports it, so that pods run without any registry.
    /// </summary>
    public async Task<OciImageInfo> ImportSandboxImageAsync(string workDirectory, string reference, CancellationToken ct)
    {
        Directory.CreateDirectory(workDirectory);
        var path = Path.Combine(workDirectory, "kpf-pause.tar");
        var info = SandboxImage.WriteArchive(path, reference);
        await ImportAsync(path, ct).ConfigureAwait(false);
        return info;
    }

    /// <summary>Imports one archive; <see cref="ImageImportException"/> names the file and carries ctr's words.</summary>
    public async Task ImportAsync(string archive, CancellationToken ct)
    {
        var info = new ProcessStartInfo(_ctrPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--address", _socketPath, "--namespace", "k8s.io", "images", "import", "--snapshotter", "overlayfs", archive])
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new ImageImportException(archive, $"cannot start {_ctrPath}", null);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ImageImportException(archive, $"cannot start {_ctrPath}: {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            try
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }

            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new ImageImportException(archive, $"ctr images import exited with {process.ExitCode}: {errors.Trim()}", null);
            }
            Log.Imported(_logger, archive, output.Trim());
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "imported image archive {Archive}: {Output}")]
        public static partial void Imported(ILogger logger, string archive, string output);

        [LoggerMessage(2, LogLevel.Error, "image archive {Archive} not imported: {Reason}")]
        public static partial void ImportFailed(ILogger logger, string archive, string reason);
    }
}

/// <summary>An image archive that could not be imported; the message names the file.</summary>
public sealed class ImageImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImageImportException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ImageImportException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ImageImportException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>An import failure of <paramref name="archive"/>.</summary>
    public ImageImportException(string archive, string reason, Exception? inner)
        : base($"image archive {archive}: {reason}", inner) => Archive = archive;

    /// <summary>The archive's path, when known.</summary>
    public string? Archive { get; }
}
