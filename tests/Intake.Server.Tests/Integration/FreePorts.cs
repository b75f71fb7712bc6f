using System.Net;
using System.Net.Sockets;

namespace Intake.Server.Tests.Integration;

/// <summary>Hands out loopback ports (below the ephemeral range) that are free for both UDP and TCP, never the same one twice in a test run.</summary>
internal static class FreePorts
{
    // Below the kernel's ephemeral range (32768+), so a port we checked is not taken by someone's connect() meanwhile.
    private const int RangeStart = 10000;
    private const int RangeEnd = 32000;
    private static int _next = RangeStart + (Environment.ProcessId % 1000) * 10;
    private static readonly Lock Gate = new();

    /// <summary>A port free on UDP and TCP; with <paramref name="evenPair"/> the port is even and port+1 is free too.</summary>
    public static int Next(bool evenPair = false)
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 2000; attempt++)
            {
                var port = evenPair ? _next + (_next % 2) : _next;
                _next = port + (evenPair ? 2 : 1);
                if (_next > RangeEnd)
                {
                    _next = RangeStart;
                }

                if (IsFree(port) && (!evenPair || IsFree(port + 1)))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free loopback port found");
    }

    /// <summary>A contiguous block of <paramref name="count"/> ports starting at an even port.</summary>
    public static int NextBlock(int count)
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var start = _next + (_next % 2);
                _next = start + count;
                if (_next > RangeEnd)
                {
                    _next = RangeStart;
                    continue;
                }

                var allFree = true;
                for (var p = start; p < start + count && allFree; p++)
                {
                    allFree = IsFree(p);
                }

                if (allFree)
                {
                    return start;
                }
            }
        }

        throw new InvalidOperationException("no free loopback port block found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
