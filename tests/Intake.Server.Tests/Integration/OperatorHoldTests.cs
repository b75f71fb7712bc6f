using Xunit.Abstractions;

namespace Intake.Server.Tests.Integration;

/// <summary>The operator puts the caller on hold with a re-INVITE (sendonly), then resumes (sendrecv).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperatorHoldTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OperatorHoldsAndResumes_AnsweredRecvonlyThenSendrecv_CallerHearsReminderThenOperatorAgain()
    {
        await using var server = await IntakeServerProcess.StartAsync(["--Intake:OperatorKeepAliveSeconds=0", "--Queues:0:WrapUpSeconds=0"]);
        var phone = Sipp.Start("operator_register_stay.xml",
            ["-oocsf", Sipp.ScenarioPath("uas_operator_hold.xml"), "-rtp_echo", "-s", "op1001", "-au", "op1001", "-ap", "op1001-Secret!",
             "-m", "1", "-d", "30000", "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(), "-max_socket", "2000"],
            $"127.0.0.1:{server.SipPort}");
        try
        {
            await server.WaitForOutputAsync("Operator op1001 registered", TimeSpan.FromSeconds(15));
            var caller = await Sipp.RunAsync("uac_until_bye.xml",
                ["-s", "19", "-m", "1", "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(), "-max_socket", "2000"],
                $"127.0.0.1:{server.SipPort}", TimeSpan.FromSeconds(40));
            output.WriteLine(server.Output);

            Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
            await server.WaitForOutputAsync("op1001 put the caller on hold: hold reminder playing", TimeSpan.FromSeconds(5));
            await server.WaitForOutputAsync("op1001 resumed the caller", TimeSpan.FromSeconds(5));
            // Only a phone whose re-INVITEs were answered recvonly, then sendrecv, goes on to hang up.
            await server.WaitForOutputAsync("ended: operator hung up", TimeSpan.FromSeconds(5));
        }
        finally
        {
            phone.Stop();
            await phone.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
