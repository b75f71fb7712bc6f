using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Intake.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>
/// One stream connection: a NetworkStream for TCP, an authenticated SslStream for TLS.
/// Reads through a PipeReader framed by <see cref="SipStreamFramer"/>; writes are serialised so two messages never interleave.
/// </summary>
internal sealed class SipTcpConnection
{
    private static readonly ReadOnlyMemory<byte> Pong = "\r\n"u8.ToArray();

    private readonly Stream _stream;
    private readonly TimeSpan _writeTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private long _lastActivity;
    private int _closing;
    private string _closeReason = "closed";

    public SipTcpConnection(
        long id, Stream stream, SipEndPoint remote, SipEndPoint local, bool isOutbound, TimeSpan writeTimeout, TimeProvider time, ILogger logger)
    {
        Id = id;
        _stream = stream;
        _writeTimeout = writeTimeout;
        Remote = remote;
        Local = local;
        IsOutbound = isOutbound;
        _time = time;
        _logger = logger;
        _lastActivity = time.GetTimestamp();
    }

    public long Id { get; }

    public SipEndPoint Remote { get; }

    public SipEndPoint Local { get; }

    public bool IsOutbound { get; }

    /// <summary>For an outbound TLS connection, the host name or address the server's certificate was verified against.</summary>
    public string? TlsServerName { get; init; }

    public bool IsAlive => Volatile.Read(ref _closing) == 0;

    /// <summary>Completes when the read loop has ended and the stream is disposed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public TimeSpan IdleTime => _time.GetElapsedTime(Volatile.Read(ref _lastActivity));

    /// <summary>Starts the read loop; <paramref name="onClosed"/> runs once after the stream is disposed.</summary>
    public void Start(SipInboundHandler handler, SipParserLimits limits, Action<SipTcpConnection> onClosed) =>
        Completion = RunAsync(handler, limits, onClosed);

    /// <summary>Closes the connection; pending reads and writes are cancelled. Safe to call from any thread, repeatedly.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closeReason = reason;
        _closed.Cancel();
    }

    /// <summary>Writes one whole message; false (and the connection closed) when the write fails or exceeds the write timeout.</summary>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!IsAlive)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(_writeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _closed.Token);
        try
        {
            await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FailSend(timeout.IsCancellationRequested ? "write queue timed out" : "connection closed");
        }

        try
        {
            await _stream.WriteAsync(data, linked.Token).ConfigureAwait(false);
            await _stream.FlushAsync(linked.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastActivity, _time.GetTimestamp());
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FailSend(timeout.IsCancellationRequested ? "write timed out" : "connection closed");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return FailSend(ex.Message);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private bool FailSend(string reason)
    {
        _logger.TcpSendFailed(Id, Remote, reason);
        Close("send failed: " + reason);
        return false;
    }

    private async Task RunAsync(SipInboundHandler handler, SipParserLimits limits, Action<SipTcpConnection> onClosed)
    {
        // Keep the accept loop (our caller) free of this connection's synchronous work.
        await Task.Yield();
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            await ReadLoopAsync(reader, handler, limits).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Close() was called; the reason is already recorded.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Close(ex.Message);
        }
        finally
        {
            Close("closed");
            await reader.CompleteAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
            _logger.TcpConnectionClosed(Id, Remote, _closeReason);
            onClosed(this);
        }
    }

    private async Task ReadLoopAsync(PipeReader reader, SipInboundHandler handler, SipParserLimits limits)
    {
        while (true)
        {
            var result = await reader.ReadAsync(_closed.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            Volatile.Write(ref _lastActivity, _time.GetTimestamp());
            while (true)
            {
                var status = SipStreamFramer.TryReadMessage(ref buffer, limits, out var message, out var isPing, out var error);
                if (status == SipFramingStatus.NeedMoreData)
                {
                    break;
                }

                if (status == SipFramingStatus.Invalid)
                {
                    _logger.TcpFramingInvalid(Id, Remote, error ?? "invalid framing");
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    Close("invalid framing");
                    return;
                }

                if (isPing)
                {
                    // RFC 5626 §3.5.1: a CRLFCRLF ping is answered with a single CRLF pong.
                    await SendAsync(Pong, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }

                await DeliverAsync(handler, message).ConfigureAwait(false);
            }

            if (result.IsCompleted)
            {
                if (!IsOnlyCrlf(buffer))
                {
                    _logger.TcpTruncated(Id, Remote, buffer.Length);
                }

                reader.AdvanceTo(buffer.End);
                Close("closed by peer");
                return;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool IsOnlyCrlf(in ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            if (!SipUdpChannel.IsKeepAlive(segment.Span))
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask DeliverAsync(SipInboundHandler handler, ReadOnlySequence<byte> message)
    {
        if (message.IsSingleSegment)
        {
            await InvokeAsync(handler, message.First).ConfigureAwait(false);
            return;
        }

        var length = (int)message.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.CopyTo(rented);
            await InvokeAsync(handler, rented.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private async ValueTask InvokeAsync(SipInboundHandler handler, ReadOnlyMemory<byte> data)
    {
        try
        {
            await handler(new SipInboundMessage(data, Remote, Local, Id)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.TcpHandlerFailed(ex, Id, Remote);
        }
    }
}
