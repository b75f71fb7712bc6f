using System.Net;
using System.Text;
using Intake.Server.Configuration;
using Intake.Server.Operators;
using Intake.Sip;
using Intake.Sip.Auth;
using Intake.Sip.Messages;
using Intake.Sip.Registrar;
using Intake.Server.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Server.Tests.Operators;

/// <summary>An <see cref="OperatorDirectory"/> on fake time and a temporary data directory, with a phone-side REGISTER helper.</summary>
internal sealed class OperatorDirectoryHarness : IDisposable
{
    public const string Realm = "intake";

    private readonly TempDirectory? _ownedDirectory;
    private int _cseq;

    public OperatorDirectoryHarness(FakeTimeProvider? time = null, string? dataDirectory = null, IReadOnlyList<DigestAlgorithm>? algorithms = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        if (dataDirectory is null)
        {
            _ownedDirectory = new TempDirectory("intake-ops");
            dataDirectory = _ownedDirectory.Path;
        }

        DataDirectory = dataDirectory;
        Directory = new OperatorDirectory(
            new OperatorDirectoryOptions
            {
                Realm = Realm,
                RegistrationsDirectory = Path.Combine(dataDirectory, OperatorDirectoryOptions.RegistrationsFolder),
                Operators =
                [
                    new OperatorOptions { Username = "op1001", Password = "secret-1001", Queues = ["police"] },
                    new OperatorOptions { Username = "op1002", Password = "secret-1002", Queues = ["police", "medical:2"] },
                    new OperatorOptions { Username = "nopass", Password = "" },
                ],
                Algorithms = algorithms ?? [DigestAlgorithm.Sha256, DigestAlgorithm.Md5],
            },
            Time,
            NullLoggerFactory.Instance);
        Directory.BindingsChanged += (user, registered) => Events.Add($"{(registered ? "registered" : "unregistered")}:{user}");
        Directory.Unreachable += user => Events.Add($"unreachable:{user}");
    }

    public FakeTimeProvider Time { get; }

    public string DataDirectory { get; }

    public OperatorDirectory Directory { get; }

    public List<string> Events { get; } = [];

    public static RegistrationSource Udp(string address = "127.0.0.1", int port = 5070) =>
        new(new IPEndPoint(IPAddress.Parse(address), port), SipTransportProtocol.Udp);

    public static SipRequest Register(string user, string callId, int cseq, string contacts, int? expires, string? authorization = null, string? toUser = null)
    {
        var text = new StringBuilder()
            .Append("REGISTER sip:127.0.0.1:5060 SIP/2.0\r\n")
            .Append("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK").Append(Guid.NewGuid().ToString("N")[..12]).Append("\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append("From: <sip:").Append(user).Append("@127.0.0.1>;tag=ft").Append(callId).Append("\r\n")
            .Append("To: <sip:").Append(toUser ?? user).Append("@127.0.0.1>\r\n")
            .Append("Call-ID: ").Append(callId).Append("\r\n")
            .Append("CSeq: ").Append(cseq).Append(" REGISTER\r\n");
        foreach (var contact in contacts.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("Contact: ").Append(contact).Append("\r\n");
        }

        if (expires is { } e)
        {
            text.Append("Expires: ").Append(e).Append("\r\n");
        }

        if (authorization is not null)
        {
            text.Append("Authorization: ").Append(authorization).Append("\r\n");
        }

        text.Append("Content-Length: 0\r\n\r\n");
        var parsed = SipParser.Parse(Encoding.UTF8.GetBytes(text.ToString()));
        Assert.True(parsed.Success, parsed.Error);
        return (SipRequest)parsed.Message!;
    }

    /// <summary>REGISTER, answer the 401 with <paramref name="password"/>, return the final result.</summary>
    public async Task<RegistrarResult> RegisterAsync(
        string user, string password, string contacts, int? expires = 3600, RegistrationSource? source = null, string? callId = null, string? toUser = null)
    {
        callId ??= "reg-" + user;
        source ??= Udp();
        var first = await Directory.ProcessRegisterAsync(Register(user, callId, ++_cseq, contacts, expires, toUser: toUser), source, CancellationToken.None);
        if (first.Response.StatusCode != 401)
        {
            return first;
        }

        var client = new DigestClient(user, password);
        Assert.True(
            client.TryRespond(first.Response.Headers.GetAll(HeaderId.WwwAuthenticate), SipMethods.Register, "sip:127.0.0.1:5060", out var authorization, out var error),
            error);
        return await Directory.ProcessRegisterAsync(Register(user, callId, ++_cseq, contacts, expires, authorization, toUser), source, CancellationToken.None);
    }

    public void Dispose()
    {
        Directory.Dispose();
        _ownedDirectory?.Dispose();
    }
}
