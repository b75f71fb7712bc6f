namespace Intake.Server.Tests.Integration;

/// <summary>
/// Operator softphones registering with the real server process: real SIPp phones (MD5 digest) and a hand-written
/// phone for exact credentials (replay, SHA-256, forgeries). Example accounts come from sip-config/intake.json.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperatorRegistrationTests
{
    private const string Op1001Password = "op1001-Secret!";
    private const string Op1002Password = "op1002-Secret!";
    private static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(90);

    private static string[] PhoneArgs(string user, string password, params string[] more) => PhonesArgs(1, user, password, more);

    private static string[] PhonesArgs(int calls, string user, string password, params string[] more) =>
    [
        "-s", user, "-au", user, "-ap", password, "-p", FreePorts.Next().ToString(), "-m", calls.ToString(),
        "-timeout", "80s", "-timeout_error", "-max_non_invite_retrans", "30", .. more,
    ];

    private static string Target(IntakeServerProcess server) => $"127.0.0.1:{server.SipPort}";

    private static void AssertSucceeded(SippRun run, IntakeServerProcess server) =>
        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);

    [Fact]
    public async Task Register_SippPhoneLifecycle_200WithContactsThenRefreshSecondContactAndUnregister()
    {
        await using var server = await IntakeServerProcess.StartAsync();

        var run = await Sipp.RunAsync("operator_register_lifecycle.xml", PhoneArgs("op1001", Op1001Password), Target(server), SippTimeout);

        AssertSucceeded(run, server);
        await server.WaitForOutputAsync("Operator op1001 unregistered", TimeSpan.FromSeconds(5));
        Assert.Contains("Operator op1001 registered", server.Output, StringComparison.Ordinal);
        Assert.Contains("op1001-desk@127.0.0.1", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WrongPassword_401Then403AndNeverRegistered()
    {
        await using var server = await IntakeServerProcess.StartAsync();

        var wrong = await Sipp.RunAsync("operator_register_refused.xml", PhoneArgs("op1002", "op1002-guess"), Target(server), SippTimeout);
        var unknown = await Sipp.RunAsync("operator_register_refused.xml", PhoneArgs("op9999", Op1002Password), Target(server), SippTimeout);
        var outputBefore = server.Output;
        var right = await Sipp.RunAsync("operator_register.xml", PhoneArgs("op1002", Op1002Password), Target(server), SippTimeout);

        AssertSucceeded(wrong, server);
        AssertSucceeded(unknown, server);
        Assert.DoesNotContain("Operator op1002 registered", outputBefore, StringComparison.Ordinal);
        Assert.DoesNotContain("op9999 registered", server.Output, StringComparison.Ordinal);
        AssertSucceeded(right, server);
        await server.WaitForOutputAsync("Operator op1002 registered", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Register_TenFailuresFromOneSource_LockedOutEvenWithRightPassword()
    {
        // A user no phone has logged in as from this source, so no trust exemption applies.
        await using var server = await IntakeServerProcess.StartAsync([
            "--Operators:9:Username=lockme", "--Operators:9:Password=lockme-Secret!", "--Operators:9:Queues:0=police",
        ]);

        // All at once: the slowdown holds each answer (up to 16 s) without holding the others.
        var guesses = await Sipp.RunAsync(
            "operator_register_refused.xml", PhonesArgs(10, "lockme", "wrong-guess", "-l", "10", "-r", "100"), Target(server), SippTimeout);
        await server.WaitForOutputAsync("Authentication lockout", TimeSpan.FromSeconds(5));
        var owner = await Sipp.RunAsync("operator_register_refused.xml", PhoneArgs("lockme", "lockme-Secret!"), Target(server), SippTimeout);

        AssertSucceeded(guesses, server);
        Assert.Equal(10, guesses.SuccessfulCalls);
        AssertSucceeded(owner, server);
        Assert.DoesNotContain("Operator lockme registered", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ReplayedAuthorizationHeader_RefusedAndBindingUnchanged()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        using var raw = new RawSipClient(server.SipPort);
        var phone = new DigestRegisterClient(raw, server.SipPort, "op1001");

        var challenge = await phone.RegisterAsync(phone.Contact(), 3600);
        var (nonce, opaque) = DigestRegisterClient.Challenge(challenge!, "MD5");
        var authorization = phone.Authorization("MD5", Op1001Password, nonce, opaque, nonceCount: 1);
        var accepted = await phone.RegisterAsync(phone.Contact(), 3600, authorization);

        // An eavesdropper re-sends the captured header in a new transaction, pointing the operator's calls elsewhere.
        var replayed = await phone.RegisterAsync("<sip:op1001@127.0.0.1:5999>", 3600, authorization);
        var query = await phone.RegisterAsync(null, null, phone.Authorization("MD5", Op1001Password, nonce, opaque, nonceCount: 2));

        Assert.Equal(401, RawSipClient.StatusOf(challenge!));
        Assert.Equal(200, RawSipClient.StatusOf(accepted!));
        Assert.Equal(401, RawSipClient.StatusOf(replayed!));
        Assert.Contains("stale=true", replayed, StringComparison.Ordinal);
        Assert.Equal(200, RawSipClient.StatusOf(query!));
        var contact = Assert.Single(DigestRegisterClient.Contacts(query!));
        Assert.StartsWith(phone.Contact(), contact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_Sha256Digest_200()
    {
        // The shipped configuration challenges with MD5 only (for baresip 1.0); a centre whose phones do RFC 7616 adds SHA-256.
        await using var server = await IntakeServerProcess.StartAsync(["--Intake:DigestAlgorithms:0=SHA-256", "--Intake:DigestAlgorithms:1=MD5"]);
        using var raw = new RawSipClient(server.SipPort);
        var phone = new DigestRegisterClient(raw, server.SipPort, "op1002");

        var challenge = await phone.RegisterAsync(phone.Contact(), 600);
        var (nonce, opaque) = DigestRegisterClient.Challenge(challenge!, "SHA-256");
        var accepted = await phone.RegisterAsync(phone.Contact(), 600, phone.Authorization("SHA-256", Op1002Password, nonce, opaque, 1));

        Assert.Equal(200, RawSipClient.StatusOf(accepted!));
        Assert.EndsWith(";expires=600", Assert.Single(DigestRegisterClient.Contacts(accepted!)), StringComparison.Ordinal);
        await server.WaitForOutputAsync("Operator op1002 registered", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Register_WithoutTheRightPassword_NeverSucceeds()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        using var raw = new RawSipClient(server.SipPort);
        var phone = new DigestRegisterClient(raw, server.SipPort, "op1001");
        var challenge = await phone.RegisterAsync(phone.Contact(), 3600);
        var (nonce, opaque) = DigestRegisterClient.Challenge(challenge!, "MD5");
        var forgedNonce = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("made-up-nonce-of-40-bytes-length-xxxxxx"));

        var attempts = new (string Name, string? Authorization, string? Aor, int[] Expected)[]
        {
            ("none", null, null, [401]),
            ("wrong password", phone.Authorization("MD5", "guess", nonce, opaque, 1), null, [403]),
            ("forged nonce", phone.Authorization("MD5", Op1001Password, forgedNonce, opaque, 1), null, [401]),
            ("other realm", phone.Authorization("MD5", Op1001Password, nonce, opaque, 1, realm: "elsewhere"), null, [401]),
            ("no qop (RFC 2069)", $"Digest username=\"op1001\", realm=\"intake\", nonce=\"{nonce}\", uri=\"{phone.Uri}\", response=\"{new string('0', 32)}\"", null, [400]),
            ("another operator's credentials", phone.Authorization("MD5", Op1002Password, nonce, opaque, 1, username: "op1002"), "op1001", [403]),
            ("right credentials for op1001 but AOR op1002", phone.Authorization("MD5", Op1001Password, nonce, opaque, 2), "op1002", [403]),
        };

        foreach (var (name, authorization, aor, expected) in attempts)
        {
            var response = await phone.RegisterAsync(phone.Contact(), 3600, authorization, aor);
            Assert.True(response is not null, $"{name}: no answer\n{server.Output}");
            Assert.True(expected.Contains(RawSipClient.StatusOf(response)), $"{name}: {response}");
        }

        Assert.DoesNotContain("Operator op1001 registered", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Operator op1002 registered", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_SigTermThenSameDataDirectory_RegistrationsRestored()
    {
        var port = FreePorts.Next();
        string dataDirectory;
        await using (var first = await IntakeServerProcess.StartAsync(sipPort: port))
        {
            dataDirectory = first.DataDirectory;
            AssertSucceeded(await Sipp.RunAsync("operator_register.xml", PhoneArgs("op1001", Op1001Password), Target(first), SippTimeout), first);
            AssertSucceeded(await Sipp.RunAsync("operator_register.xml", PhoneArgs("op1002", Op1002Password), Target(first), SippTimeout), first);
            Assert.Equal(0, await first.StopAsync(NativeSignals.SigTerm, TimeSpan.FromSeconds(40)));
        }

        await using var second = await IntakeServerProcess.StartAsync(dataDirectory: dataDirectory, sipPort: port);
        using var raw = new RawSipClient(second.SipPort);
        var phone = new DigestRegisterClient(raw, second.SipPort, "op1001");
        var challenge = await phone.RegisterAsync(null, null);
        var (nonce, opaque) = DigestRegisterClient.Challenge(challenge!, "MD5");
        var query = await phone.RegisterAsync(null, null, phone.Authorization("MD5", Op1001Password, nonce, opaque, 1));

        Assert.Contains("Restored 2 registrations of 2 operators", second.Output, StringComparison.Ordinal);
        Assert.Contains("Operator op1002 registered", second.Output, StringComparison.Ordinal);
        Assert.Equal(200, RawSipClient.StatusOf(query!));
        Assert.Matches(@"^<sip:op1001@127\.0\.0\.1:\d+>;expires=3\d\d\d$", Assert.Single(DigestRegisterClient.Contacts(query!)));
    }

    [Fact]
    public async Task KeepAlive_PhoneAnswersThenDisappears_UnreachableOnlyAfterItStops()
    {
        // T1 = 50 ms so that an unanswered OPTIONS times out (64*T1) in 3.2 s.
        await using var server = await IntakeServerProcess.StartAsync(["--Intake:OperatorKeepAliveSeconds=1", "--Sip:T1Milliseconds=50", "--Sip:T2Milliseconds=400"]);

        var run = await Sipp.RunAsync(
            "operator_register_stay.xml", PhoneArgs("op1002", Op1002Password, "-oocsf", Sipp.ScenarioPath("uas_options_answer.xml"), "-d", "4000"),
            Target(server), SippTimeout);
        var whileAnswering = server.Output;
        await server.WaitForOutputAsync("Operator op1002 unreachable", TimeSpan.FromSeconds(30));

        AssertSucceeded(run, server);
        Assert.Contains("Operator op1002 registered", whileAnswering, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", whileAnswering, StringComparison.Ordinal);
    }
}
