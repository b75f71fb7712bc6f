using System.Net;
using System.Net.Sockets;

namespace Intake.Sip.Tests.Transport;

/// <summary>A plain TCP client standing in for a SIP trunk or softphone in loopback tests.</summary>
internal sealed class TcpTestPeer : IDisposable
{
    private readonly TcpClient _client;

    private TcpTestPeer(TcpClient client)
    {
        _client = client;
        Stream = client.GetStream();
    }

    public NetworkStream Stream { get; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_client.Client.LocalEndPoint!;

    public static async Task<TcpTestPeer> ConnectAsync(IPEndPoint server)
    {
        var client = new TcpClient(server.AddressFamily) { NoDelay = true };
        await client.ConnectAsync(server).WaitAsync(InboundRecorder.Timeout);
        return new TcpTestPeer(client);
    }

    public static TcpTestPeer Wrap(TcpClient client) => new(client);

    public async Task WriteAsync(byte[] data)
    {
        await Stream.WriteAsync(data).AsTask().WaitAsync(InboundRecorder.Timeout);
        await Stream.FlushAsync();
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(InboundRecorder.Timeout);
        await Stream.ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }

    /// <summary>True when the server closes (EOF or reset) within the test timeout; data sent before the close is discarded.</summary>
    public async Task<bool> WaitForCloseAsync()
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(InboundRecorder.Timeout);
        try
        {
            while (await Stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();
}
