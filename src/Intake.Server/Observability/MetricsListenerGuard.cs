using System.Net;
using Microsoft.AspNetCore.Http;

namespace Intake.Server.Observability;

/// <summary>
/// Keeps <c>/metrics</c> and <c>/health/*</c> on the metrics listener once one is configured, so they are not also
/// reachable (over h2c) on the gRPC port that callers and consoles use. The port is learnt from the listener's
/// connections, which also covers port 0 (a free port chosen at bind time).
/// </summary>
internal sealed class MetricsListenerGuard
{
    private readonly bool _restricted;
    private int _port;

    private MetricsListenerGuard(bool restricted, int port)
    {
        _restricted = restricted;
        _port = port;
    }

    public static MetricsListenerGuard Unrestricted() => new(restricted: false, port: 0);

    public static MetricsListenerGuard ForListener(int configuredPort) => new(restricted: true, configuredPort);

    /// <summary>Called for every connection accepted by the metrics listener, before any request on it.</summary>
    public void ObserveConnection(EndPoint? localEndPoint)
    {
        if (localEndPoint is IPEndPoint ip)
        {
            Volatile.Write(ref _port, ip.Port);
        }
    }

    public bool Admits(HttpContext context) => !_restricted || context.Connection.LocalPort == Volatile.Read(ref _port);
}
