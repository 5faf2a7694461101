using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers;

/// <summary>
/// Runs the enabled controllers of a <see cref="ControllerContext"/> for one term (kube-controller-manager's
/// <c>Run</c> after it won its lease): builds each enabled controller (each asks the informer factory for
/// what it watches), starts the informers, waits for their caches, runs every controller, and when
/// cancelled stops them one by one in reverse start order, then the informers. The caller owns the
/// context and disposes it after <see cref="RunAsync"/> returned; a new term needs a new context.
/// </summary>
public sealed partial class ControllerManager
{
    private readonly ControllerContext _context;
    private readonly ControllerManagerOptions _options;
    private readonly IReadOnlyList<ControllerRegistration> _enabled;
    private readonly ILogger _logger;
    private volatile bool _running;

    /// <summary>A manager of the controllers <see cref="ControllerManagerOptions.Controllers"/> enables among <paramref name="known"/>.</summary>
    /// <param name="context">What the controllers share; not started yet.</param>
    /// <param name="options">Which controllers, and each controller's options.</param>
    /// <param name="known">The controllers to choose from: <see cref="KnownControllers.All"/> when null (tests give their own).</param>
    /// <exception cref="ArgumentException"><c>--controllers</c> names a controller that is not known.</exception>
    public ControllerManager(ControllerContext context, ControllerManagerOptions options, IReadOnlyList<ControllerRegistration>? known = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _options = options;
        _enabled = ControllerSelection.Enabled(options.Controllers, known ?? KnownControllers.All);
        _logger = context.LoggerFactory.CreateLogger<ControllerManager>();
    }

    /// <summary>The names of the controllers this manager runs, in start order.</summary>
    public IReadOnlyList<string> EnabledControllers => [.. _enabled.Select(r => r.Name)];

    /// <summary>True from the moment the caches synced and the controllers started until they are stopped.</summary>
    public bool IsRunning => _running;

    /// <summary>
    /// Runs the controllers until <paramref name="cancellationToken"/> is cancelled, then stops them and
    /// the informers and returns. Throws when a controller cannot be built, when the caches do not sync
    /// within <see cref="ControllerManagerOptions.CacheSyncTimeout"/>, or when a controller ends by itself
    /// (it is a bug: the rest are stopped first).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var controllers = Build();
        _context.Informers.Start(cancellationToken);
        try
        {
            if (!await WaitForCachesAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await RunControllersAsync(controllers, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _running = false;
            await _context.Informers.StopAsync().ConfigureAwait(false);
        }
    }

    private List<IController> Build()
    {
        var controllers = new List<IController>(_enabled.Count);
        foreach (var registration in _enabled)
        {
            try
            {
                controllers.Add(registration.Create(_context, _options));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException($"error starting controller \"{registration.Name}\": {e.Message}", e);
            }
        }

        return controllers;
    }

    /// <summary>False when cancelled while waiting.</summary>
    private async Task<bool> WaitForCachesAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CacheSyncTimeout);
        try
        {
            await _context.Informers.WaitForCacheSyncAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"timed out after {_options.CacheSyncTimeout} waiting for the controllers' caches to sync");
        }
    }

    private async Task RunControllersAsync(List<IController> controllers, CancellationToken cancellationToken)
    {
        // A stop per controller, not one linked token: they are stopped one at a time, in order.
        var stops = controllers.Select(_ => new CancellationTokenSource()).ToArray();
        var running = new Task[controllers.Count];
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            for (var i = 0; i < controllers.Count; i++)
            {
                var (controller, stop) = (controllers[i], stops[i].Token);
                running[i] = Task.Run(() => controller.RunAsync(stop), CancellationToken.None);
                LogStarted(controller.Name);
            }

            _running = true;
            using var registration = cancellationToken.Register(() => cancelled.TrySetResult());
            var first = await Task.WhenAny([.. running, cancelled.Task]).ConfigureAwait(false);
            _running = false;
            var failed = first == cancelled.Task ? null : controllers[Array.IndexOf(running, first)];
            if (failed is not null)
            {
                LogEndedEarly(failed.Name, first.Exception?.GetBaseException());
            }

            for (var i = controllers.Count - 1; i >= 0; i--)
            {
                await stops[i].CancelAsync().ConfigureAwait(false);
                try
                {
                    await running[i].ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping by throwing on its token is stopping.
                }
                catch (Exception e) when (controllers[i] != failed)
                {
                    LogStopFailed(controllers[i].Name, e);
                }
                catch (Exception)
                {
                    // The failed controller's error was logged when it ended.
                }

                LogStopped(controllers[i].Name);
            }

            if (failed is not null)
            {
                throw new InvalidOperationException($"controller \"{failed.Name}\" stopped by itself", first.Exception?.GetBaseException());
            }
        }
        finally
        {
            foreach (var stop in stops)
            {
                stop.Dispose();
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Started controller {Controller}")]
    private partial void LogStarted(string controller);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Stopped controller {Controller}")]
    private partial void LogStopped(string controller);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Controller {Controller} stopped by itself; stopping the others")]
    private partial void LogEndedEarly(string controller, Exception? exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Controller {Controller} failed while stopping")]
    private partial void LogStopFailed(string controller, Exception exception);
}
