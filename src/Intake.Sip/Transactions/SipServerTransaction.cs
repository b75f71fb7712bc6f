using Intake.Sip.Dialogs;
using Intake.Sip.Messages;

namespace Intake.Sip.Transactions;

/// <summary>
/// A server transaction (RFC 3261 §17.2): the TU answers the request through <see cref="SendResponseAsync"/>;
/// retransmitted requests never reach the TU, they are answered with the last response.
/// </summary>
public abstract class SipServerTransaction : SipTransaction
{
    private string? _localTag;

    private protected SipServerTransaction(SipRequest request, SipTransactionKey key, SipResponseRoute route, SipTransactionContext context)
        : base(request, route.Destination.Protocol != SipTransportProtocol.Udp, context)
    {
        Key = key;
        Route = route;
    }

    public SipTransactionKey Key { get; }

    /// <summary>Where responses are sent.</summary>
    public SipResponseRoute Route { get; }

    /// <summary>The most recent response sent, re-sent when the request is retransmitted.</summary>
    public SipResponse? LastResponse { get; private protected set; }

    /// <summary>True once a final (>= 200) response has been sent.</summary>
    public bool HasFinalResponse => LastResponse is { StatusCode: >= 200 };

    /// <summary>
    /// The To tag this transaction uses in responses when the request had none: the request's own To tag for
    /// in-dialog requests, otherwise a tag generated once, so every response (and a UAS dialog) agrees on it.
    /// </summary>
    public string LocalTag => Request.To?.Tag ?? (_localTag ??= SipTag.Create());

    /// <summary>A response to <see cref="SipTransaction.Request"/> per §8.2.6.2, carrying <see cref="LocalTag"/> unless it is a 100.</summary>
    public SipResponse CreateResponse(int statusCode, string? reasonPhrase = null) =>
        SipResponse.CreateFor(Request, statusCode, reasonPhrase, statusCode == 100 ? null : LocalTag);

    /// <summary>Sends a response. Returns false when the state machine no longer accepts it (a final response was
    /// already sent, for example the 487 after a CANCEL) or the transport failed.</summary>
    public abstract ValueTask<bool> SendResponseAsync(SipResponse response);

    /// <summary>A request matching this transaction arrived (retransmission, or ACK for INVITE).</summary>
    /// <returns>true when the request must still be handled by the core (an ACK for a 2xx).</returns>
    internal abstract ValueTask<bool> OnRequestAsync(SipRequest request);

    private protected ValueTask<bool> SendToWireAsync(SipResponse response) =>
        Context.Sink.SendAsync(response, Route.Destination, Route.ConnectionId);

    private protected async ValueTask NotifyFinalSentAsync(SipResponse response)
    {
        if (Context.FinalResponseSent is { } hook) await hook(this, response).ConfigureAwait(false);
    }

    public override string ToString() => $"server {Key}";
}
