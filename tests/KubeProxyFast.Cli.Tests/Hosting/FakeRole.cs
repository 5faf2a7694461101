using System.Collections.Concurrent;
using KubeProxyFast.Cli.Hosting;

namespace KubeProxyFast.Cli.Tests.Hosting;

/// <summary>A role that writes what the host asked of it in a journal shared with the other roles, and fails or hangs on demand.</summary>
internal sealed class FakeRole(string name, ConcurrentQueue<string> journal) : IRole
{
    private volatile RoleHealth _health = RoleHealth.NotStarted;

    public string Name => name;

    public RoleHealth Health => _health;

    /// <summary>Thrown by <see cref="StartAsync"/>, when set.</summary>
    public Exception? StartError { get; init; }

    /// <summary>Whether <see cref="StartAsync"/> waits until cancelled.</summary>
    public bool StartHangs { get; init; }

    /// <summary>Whether <see cref="StopAsync"/> never completes, whatever its token says.</summary>
    public bool StopHangs { get; init; }

    /// <summary>The health the role has once started.</summary>
    public RoleHealth HealthOnceStarted { get; init; } = RoleHealth.Serving;

    /// <summary>Completed when <see cref="StartAsync"/> is called.</summary>
    public TaskCompletionSource StartCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The context the host gave, once started.</summary>
    public RoleContext? Context { get; private set; }

    public async Task StartAsync(RoleContext context, CancellationToken cancellationToken)
    {
        journal.Enqueue("start " + name);
        StartCalled.SetResult();
        if (StartHangs)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        if (StartError is not null)
        {
            throw StartError;
        }

        Context = context;
        _health = HealthOnceStarted;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        journal.Enqueue("stop " + name);
        if (StopHangs)
        {
            await new TaskCompletionSource().Task;
        }

        _health = RoleHealth.Stopped;
    }

    /// <summary>Sets the role's health and tells the host.</summary>
    public void Become(RoleHealth health)
    {
        _health = health;
        Context!.HealthChanged();
    }
}
