using Intake.Contracts.V1;
using Xunit.Abstractions;
using Kind = Intake.Contracts.V1.CallEvent.KindOneofCase;

namespace Intake.Server.Tests.Integration;

/// <summary>Calls.Callback: an abandoned caller is called back through the trunk, operator first (RFC 7090).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CallbackTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AbandonedCall_CallbackRingsOperatorThenCallerWithPsapCallbackPriority_BridgedAndRecorded()
    {
        await using var server = await IntakeServerProcess.StartAsync(["--Intake:OperatorKeepAliveSeconds=0", "--Queues:0:WrapUpSeconds=0"]);
        using var api = new IntakeApiClient(server);
        var operatorPhone = Sipp.Start("operator_register_stay.xml",
            ["-oocsf", Sipp.ScenarioPath("uas_operator_answer.xml"), "-rtp_echo", "-s", "op1001", "-au", "op1001", "-ap", "op1001-Secret!",
             "-m", "1", "-d", "40000", "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(), "-max_socket", "2000"],
            $"127.0.0.1:{server.SipPort}");
        try
        {
            await server.WaitForOutputAsync("Operator op1001 registered", TimeSpan.FromSeconds(15));
            await api.Operators.SetStateAsync(new SetOperatorStateRequest { Username = "op1001", Ready = false, Reason = "break" });

            // The caller gives up after 1.5 s; the call-back later reaches the same address and port, as a trunk's would.
            var callerPort = FreePorts.Next();
            var caller = await Sipp.RunAsync("uac_call.xml",
                ["-s", "19", "-m", "1", "-d", "1500", "-p", callerPort.ToString(), "-mp", FreePorts.NextBlock(4).ToString(), "-max_socket", "2000"],
                $"127.0.0.1:{server.SipPort}", SippTimeout);
            Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
            var abandonedEvents = await api.EventsUntilAsync(Kind.Ended, 1, TimeSpan.FromSeconds(15));
            var abandonedId = Assert.Single(abandonedEvents, e => e.KindCase == Kind.Abandoned).CallId;

            var callee = Sipp.Start("uas_callback_answer.xml",
                ["-m", "1", "-rtp_echo", "-p", callerPort.ToString(), "-mp", FreePorts.NextBlock(4).ToString(), "-max_socket", "2000"]);
            await Task.Delay(500); // SIPp binds its port
            var response = await api.Calls.CallbackAsync(new CallbackRequest { CallId = abandonedId, Operator = "op1001" });
            var calleeRun = await callee.WaitAsync(SippTimeout);
            var events = await api.EventsUntilAsync(all => all.Any(e => e.CallId == response.CallbackCallId && e.KindCase == Kind.Recording), TimeSpan.FromSeconds(20));

            Assert.True(calleeRun.ExitCode == 0, calleeRun.Output + "\n--- server ---\n" + server.Output);
            var callback = events.Where(e => e.CallId == response.CallbackCallId).ToList();
            output.WriteLine(string.Join('\n', callback.Select(e => e.ToString())));
            Assert.Equal([Kind.Offered, Kind.Ringing, Kind.Answered, Kind.Ended, Kind.Recording], callback.Select(e => e.KindCase));
            Assert.Equal("op1001", callback[2].Answered.Operator);
            Assert.Equal("callback", callback[3].Ended.Outcome);
            Assert.Equal("operator", callback[3].Ended.HungUpBy);
            Assert.True(callback[4].Recording.SizeBytes > 44);
            Assert.True(File.Exists(Path.Combine(server.DataDirectory, "recordings", response.CallbackCallId + ".wav")));
        }
        finally
        {
            operatorPhone.Stop();
            await operatorPhone.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
