using System.Net;

namespace Intake.Media.Io;

/// <summary>Receives the datagrams of one registered socket, on its reactor's thread.</summary>
public interface IDatagramSink
{
    /// <summary>
    /// One datagram. Both arguments are the reactor's buffers, valid only during the call; the sink must not block
    /// (every socket of the reactor waits meanwhile).
    /// </summary>
    void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from);
}
