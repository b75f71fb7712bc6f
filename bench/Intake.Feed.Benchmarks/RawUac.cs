using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Intake.Feed.Benchmarks;

/// <summary>
/// A minimal SIP caller on one UDP socket: sends INVITEs (timestamped just before the send), ACKs each 200 and hangs
/// up after the hold time. Just enough of RFC 3261 for loopback: no INVITE retransmission (loopback does not lose
/// datagrams at these rates; a call that never completes is reported).
/// </summary>
internal sealed class RawUac : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _rtp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly TimeSpan _hold;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, byte> _acked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _completed = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _byes = [];
    private readonly Task _receiver;
    private readonly int _localPort;

    public RawUac(int serverPort, TimeSpan hold)
    {
        _server = new IPEndPoint(IPAddress.Loopback, serverPort);
        _hold = hold;
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _localPort = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        // Intake's greeting RTP lands here unread; the kernel drops what overflows.
        _rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receiver = ReceiveAsync();
    }

    /// <summary>Call-ID -> Stopwatch timestamp taken just before the INVITE was handed to the socket.</summary>
    public ConcurrentDictionary<string, long> InviteSentAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Call-ID -> Stopwatch timestamp when the first 100 Trying was read (the SIP path alone, for comparison).</summary>
    public ConcurrentDictionary<string, long> TryingAt { get; } = new(StringComparer.Ordinal);

    public int Completed => _completed.Count;

    public async Task CallAsync(string callId, int number)
    {
        var rtpPort = ((IPEndPoint)_rtp.LocalEndPoint!).Port;
        var sdp = $"v=0\r\no=bench {number} 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                  $"m=audio {rtpPort} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
                  "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";
        var invite =
            $"INVITE sip:19@127.0.0.1:{_server.Port} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{_localPort};branch=z9hG4bK-inv-{Token(callId)};rport\r\n" +
            $"From: \"Bench {number}\" <sip:+2126{number:D8}@127.0.0.1:{_localPort}>;tag=f{number}\r\n" +
            $"To: <sip:19@127.0.0.1:{_server.Port}>\r\n" +
            $"Call-ID: {callId}\r\nCSeq: 1 INVITE\r\n" +
            $"Contact: <sip:bench@127.0.0.1:{_localPort}>\r\nMax-Forwards: 70\r\n" +
            $"Content-Type: application/sdp\r\nContent-Length: {Encoding.ASCII.GetByteCount(sdp)}\r\n\r\n{sdp}";
        var bytes = Encoding.ASCII.GetBytes(invite);
        InviteSentAt[callId] = Stopwatch.GetTimestamp();
        await _socket.SendToAsync(bytes, SocketFlags.None, _server);
    }

    /// <summary>Waits (bounded) for every BYE to be answered.</summary>
    public async Task<bool> WaitForCompletionAsync(int calls, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (_completed.Count < calls && waited.Elapsed < timeout)
        {
            await Task.Delay(50);
        }

        return _completed.Count >= calls;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var receivedAt = Stopwatch.GetTimestamp();
            var message = Encoding.ASCII.GetString(buffer, 0, length);
            var headerEnd = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var lines = (headerEnd < 0 ? message : message[..headerEnd]).Split("\r\n");
            if (lines[0].StartsWith("SIP/2.0 100", StringComparison.Ordinal))
            {
                if (Header(lines, "Call-ID", "i") is { } tryingCallId)
                {
                    TryingAt.TryAdd(tryingCallId, receivedAt);
                }

                continue;
            }

            if (!lines[0].StartsWith("SIP/2.0 200", StringComparison.Ordinal))
            {
                continue;
            }

            var callId = Header(lines, "Call-ID", "i");
            var cseq = Header(lines, "CSeq", null);
            if (callId is null || cseq is null)
            {
                continue;
            }

            if (cseq.EndsWith("INVITE", StringComparison.Ordinal))
            {
                // Each retransmitted 200 is ACKed again; the BYE is scheduled once.
                var to = Header(lines, "To", "t") ?? "";
                var contact = Header(lines, "Contact", "m") ?? $"<sip:19@127.0.0.1:{_server.Port}>";
                var target = contact.Trim().TrimStart('<').Split('>')[0];
                var from = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("From:", StringComparison.OrdinalIgnoreCase))?[5..].Trim() ?? "";
                await SendAsync(Request("ACK", target, callId, from, to, 1, "ack"));
                if (_acked.TryAdd(callId, 0))
                {
                    _byes.Add(ByeLaterAsync(Request("BYE", target, callId, from, to, 2, "bye")));
                }
            }
            else if (cseq.EndsWith("BYE", StringComparison.Ordinal))
            {
                _completed.TryAdd(callId, 0);
            }
        }
    }

    private async Task ByeLaterAsync(string bye)
    {
        try
        {
            await Task.Delay(_hold, _stop.Token);
            await SendAsync(bye);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private string Request(string method, string target, string callId, string from, string to, int cseq, string branch) =>
        $"{method} {target} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:{_localPort};branch=z9hG4bK-{branch}-{Token(callId)};rport\r\n" +
        $"From: {from}\r\nTo: {to}\r\nCall-ID: {callId}\r\nCSeq: {cseq} {method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    private async Task SendAsync(string text) => await _socket.SendToAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, _server);

    /// <summary>The Call-ID without its "@host" part, usable in a Via branch (a token: no '@').</summary>
    private static string Token(string callId) => callId.Split('@')[0];

    private static string? Header(string[] lines, string name, string? compact)
    {
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase) || (compact is not null && key.Equals(compact, StringComparison.OrdinalIgnoreCase)))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _receiver;
        await Task.WhenAll(_byes);
        _socket.Dispose();
        _rtp.Dispose();
        _stop.Dispose();
    }
}
