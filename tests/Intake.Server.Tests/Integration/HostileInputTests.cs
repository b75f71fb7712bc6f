using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Intake.Server.Tests.Integration;

/// <summary>Garbage on the wire never crashes the server nor grows its memory without bound.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class HostileInputTests
{
    private const string ValidInvite = "INVITE sip:19@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKx\r\nMax-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:19@127.0.0.1>\r\nCall-ID: c@127.0.0.1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 40\r\n\r\nv=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n";

    /// <summary>Random bytes, truncations, bad header values, 60 KB headers and thousands of headers.</summary>
    private static IEnumerable<byte[]> MalformedInputs(Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            switch (i % 8)
            {
                case 0:
                    var noise = new byte[random.Next(1, 1400)];
                    random.NextBytes(noise);
                    yield return noise;
                    break;
                case 1:
                    yield return Encoding.ASCII.GetBytes(ValidInvite[..random.Next(1, ValidInvite.Length)]);
                    break;
                case 2:
                    yield return Encoding.ASCII.GetBytes(ValidInvite.Replace("CSeq: 1 INVITE", "CSeq: banana INVITE"));
                    break;
                case 3:
                    yield return Encoding.ASCII.GetBytes(ValidInvite.Replace("Content-Length: 40", "Content-Length: -7"));
                    break;
                case 4:
                    yield return Encoding.ASCII.GetBytes(ValidInvite.Replace("Max-Forwards: 70", "X-Big: " + new string('a', 60_000)));
                    break;
                case 5:
                    var many = new StringBuilder(ValidInvite[..ValidInvite.IndexOf("Content-Type", StringComparison.Ordinal)]);
                    for (var h = 0; h < 3000; h++)
                    {
                        many.Append("X-H").Append(h).Append(": v\r\n");
                    }

                    yield return Encoding.ASCII.GetBytes(many.Append("\r\n").ToString()[..Math.Min(many.Length, 60_000)]);
                    break;
                case 6:
                    var mutated = Encoding.ASCII.GetBytes(ValidInvite);
                    for (var m = 0; m < 5; m++)
                    {
                        mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                    }

                    yield return mutated;
                    break;
                default:
                    yield return Encoding.ASCII.GetBytes(ValidInvite.Replace("Via: SIP/2.0/UDP 127.0.0.1:5999", "Via: SIP/2.0/UDP [::1"));
                    break;
            }
        }
    }

    private static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
        }

        return 0;
    }

    private static async Task AssertAnswersOptionsAsync(IntakeServerProcess server)
    {
        using var client = new RawSipClient(server.SipPort);
        await client.SendTextAsync("""
            OPTIONS sip:127.0.0.1:$SERVER$ SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:$PORT$;branch=$BRANCH$
            Max-Forwards: 70
            From: <sip:probe@127.0.0.1>;tag=probe
            To: <sip:127.0.0.1>
            Call-ID: probe-$BRANCH$@127.0.0.1
            CSeq: 1 OPTIONS
            Content-Length: 0


            """);
        var response = await client.ReceiveFinalAsync(TimeSpan.FromSeconds(5));
        Assert.True(response is not null && RawSipClient.StatusOf(response) == 200, "OPTIONS not answered:\n" + server.Output);
    }

    [Fact]
    public async Task MalformedDatagramsAndStreams_ServerKeepsAnsweringWithBoundedMemory()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        await AssertAnswersOptionsAsync(server);
        var random = new Random(4475);

        // Warm up so the baseline includes the JIT and pools.
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            foreach (var datagram in MalformedInputs(random, 200))
            {
                await udp.SendToAsync(datagram.AsMemory(0, Math.Min(datagram.Length, 65_000)), SocketFlags.None, new IPEndPoint(IPAddress.Loopback, server.SipPort));
            }
        }

        await AssertAnswersOptionsAsync(server);
        var baseline = RssKiB(server.ProcessId);

        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            var sent = 0;
            foreach (var datagram in MalformedInputs(random, 2000))
            {
                await udp.SendToAsync(datagram.AsMemory(0, Math.Min(datagram.Length, 65_000)), SocketFlags.None, new IPEndPoint(IPAddress.Loopback, server.SipPort));
                if (++sent % 200 == 0)
                {
                    await Task.Delay(20); // let a loopback socket buffer drain rather than measure kernel drops
                }
            }
        }

        var streamCount = 0;
        foreach (var stream in MalformedInputs(random, 300))
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await tcp.ConnectAsync(IPAddress.Loopback, server.SipPort);
            try
            {
                await tcp.SendAsync(stream, SocketFlags.None);
                tcp.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The server may close a connection as soon as it sees garbage; that is the point.
            }

            streamCount++;
        }

        Assert.Equal(300, streamCount);
        await AssertAnswersOptionsAsync(server);
        Assert.False(server.HasExited);
        var after = RssKiB(server.ProcessId);
        Assert.True(after - baseline < 64 * 1024, $"RSS grew from {baseline} KiB to {after} KiB");
    }
}
