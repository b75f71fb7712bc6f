namespace Intake.Server.Tests.Api;

/// <summary>Upper bounds for the socket tests: generous for a loaded 2-core CI machine, still bounded.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Stream = TimeSpan.FromSeconds(30);

    public static CancellationTokenSource Cancel(TimeSpan? after = null) => new(after ?? Stream);
}
