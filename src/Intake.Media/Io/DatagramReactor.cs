using System.Net.Sockets;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Media.Io;

/// <summary>
/// Receives the media of every call on a few dedicated threads (one per core by default) instead of one awaiting loop
/// per socket: with hundreds of calls, a thread-pool wake-up per packet costs more than the packet's own work. Each
/// thread waits on an epoll set and runs the packet's handling (statistics, relay, recorder copy) inline, so a relayed
/// packet costs a share of one batched receive and one batched send system call (<see cref="DatagramSendBatch"/>). Linux only; elsewhere sessions keep their own async loops.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DatagramReactor : IDisposable
{
    private readonly DatagramReactorLoop[] _loops;

    public DatagramReactor(int threadCount, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        _loops = new DatagramReactorLoop[threadCount];
        var created = 0;
        try
        {
            for (; created < threadCount; created++)
            {
                _loops[created] = new DatagramReactorLoop($"media-reactor-{created}", logger ?? NullLogger.Instance);
            }
        }
        catch
        {
            for (var i = 0; i < created; i++)
            {
                _loops[i].Dispose();
            }

            throw;
        }
    }

    public int ThreadCount => _loops.Length;

    /// <summary>Datagrams delivered by all threads.</summary>
    public long Datagrams => _loops.Sum(static l => l.Datagrams);

    /// <summary>Datagrams delivered by each thread: how evenly the sessions are spread.</summary>
    public IReadOnlyList<long> DatagramsPerThread => [.. _loops.Select(static l => l.Datagrams)];

    /// <summary>Wake-ups that found work, all threads: Datagrams / Rounds is how many packets one wake-up carries.</summary>
    public long Rounds => _loops.Sum(static l => l.Rounds);

    /// <summary>
    /// Watches <paramref name="socket"/> (made non-blocking) and delivers its datagrams to <paramref name="sink"/> on the
    /// thread <paramref name="lane"/> maps to; sockets given the same lane share a thread (a session's RTP and RTCP).
    /// </summary>
    public DatagramRegistration Register(Socket socket, IDatagramSink sink, int lane)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(sink);
        return _loops[(int)((uint)lane % (uint)_loops.Length)].Register(socket, sink);
    }

    /// <summary>Stops the threads; registrations still open are released (their sockets may then be closed).</summary>
    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }
}
