using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// A deliberately dumb UDP peer for tests that need exact bytes on the wire (malformed input, loop checks).
/// Messages are written with LF and sent with CRLF.
/// </summary>
public sealed class RawSipClient : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _server;
    private readonly byte[] _buffer = new byte[65535];

    /// <param name="localAddress">Another loopback address (127.0.0.2) to be a different source; 127.0.0.1 by default.</param>
    public RawSipClient(int serverPort, IPAddress? localAddress = null)
    {
        _server = new IPEndPoint(IPAddress.Loopback, serverPort);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(localAddress ?? IPAddress.Loopback, 0));
    }

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public IPAddress LocalAddress => ((IPEndPoint)_socket.LocalEndPoint!).Address;

    /// <summary>Replaces $PORT$ with the client port and $SERVER$ with the server port, normalises line ends to CRLF.</summary>
    public string Fill(string template) =>
        template.Replace("\r\n", "\n").Replace("\n", "\r\n")
            .Replace("$PORT$", LocalPort.ToString(), StringComparison.Ordinal)
            .Replace("$LOCAL$", LocalAddress.ToString(), StringComparison.Ordinal)
            .Replace("$SERVER$", _server.Port.ToString(), StringComparison.Ordinal)
            .Replace("$BRANCH$", "z9hG4bK" + Guid.NewGuid().ToString("N")[..16], StringComparison.Ordinal);

    public Task SendTextAsync(string template) => SendAsync(Encoding.UTF8.GetBytes(Fill(template)));

    public async Task SendAsync(ReadOnlyMemory<byte> datagram) => await _socket.SendToAsync(datagram, SocketFlags.None, _server);

    /// <summary>The next datagram as text, or null when none arrives in time.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var result = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            return Encoding.UTF8.GetString(_buffer, 0, result.ReceivedBytes);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Receives until a response with a final status (>= 200) arrives; returns it, or null on timeout.</summary>
    public async Task<string?> ReceiveFinalAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var message = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is null)
            {
                return null;
            }

            if (message.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && message.Length > 11 && message[8] != '1')
            {
                return message;
            }
        }

        return null;
    }

    public static int StatusOf(string response) => int.Parse(response.AsSpan(8, 3));

    public void Dispose() => _socket.Dispose();
}
