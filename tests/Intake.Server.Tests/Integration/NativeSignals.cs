using System.Runtime.InteropServices;

namespace Intake.Server.Tests.Integration;

/// <summary>POSIX signals, so tests can stop the server as an init system would (SIGTERM) or crash it (SIGKILL).</summary>
internal static partial class NativeSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for this one call
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;
}
