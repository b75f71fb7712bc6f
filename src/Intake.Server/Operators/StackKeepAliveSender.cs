using System.Globalization;
using Intake.Server.Sip;
using Intake.Sip.Messages;
using Intake.Sip.Registrar;

namespace Intake.Server.Operators;

/// <summary>
/// Probes a binding with an out-of-dialog OPTIONS through the server's SIP stack. Any final response from the phone
/// counts as alive (a 405 or 481 still proves it is there); the 408 and 503 the client transaction synthesizes for a
/// timeout or a transport error count as failures, as do real ones, which no healthy softphone sends to OPTIONS.
/// </summary>
public sealed class StackKeepAliveSender(SipServerService server) : IBindingKeepAliveSender
{
    public async ValueTask<bool> SendOptionsAsync(RegistrationBinding binding, CancellationToken cancellationToken)
    {
        var target = OperatorDirectory.ToTarget(binding);
        var stack = server.Stack;
        var local = stack.GetLocalContact(target.Destination);
        var localPort = local.Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : "";
        var from = new SipNameAddress(SipUri.Parse($"sip:keepalive@{local.Host}{localPort}"));
        var request = stack.CreateRequest(SipMethods.Options, target.RequestUri, from, new SipNameAddress(target.RequestUri));
        request.Headers.Add("Accept", "application/sdp");
        var transaction = await stack.SendRequestAsync(request, target.Destination).ConfigureAwait(false);
        var response = await transaction.FinalResponse.WaitAsync(cancellationToken).ConfigureAwait(false);
        return response.StatusCode is not (408 or 503);
    }
}
