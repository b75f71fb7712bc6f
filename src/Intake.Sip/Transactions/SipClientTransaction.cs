using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Transactions;

/// <summary>
/// A client transaction (RFC 3261 §17.1). <see cref="FinalResponse"/> completes with the first final response; a
/// timeout (Timer B/F) completes it with a synthesized 408 and a transport failure with a synthesized 503
/// (§8.1.3.1), so callers never see an exception for network trouble.
/// </summary>
public abstract class SipClientTransaction : SipTransaction
{
    private readonly TaskCompletionSource<SipResponse> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<SipResponse>? _onProvisional;

    private protected SipClientTransaction(SipRequest request, SipEndPoint destination, SipTransactionContext context, Action<SipResponse>? onProvisional)
        : base(request, destination.Protocol != SipTransportProtocol.Udp, context)
    {
        Destination = destination;
        _onProvisional = onProvisional;
        Branch = request.TopVia?.Branch ?? throw new ArgumentException("The request needs a top Via with a branch.", nameof(request));
    }

    /// <summary>Branch of the top Via: the transaction id responses are matched on (§17.1.3).</summary>
    public string Branch { get; }

    public SipEndPoint Destination { get; }

    /// <summary>The first final response, or a synthesized 408/503.</summary>
    public Task<SipResponse> FinalResponse => _final.Task;

    /// <summary>The most recent provisional response, if any.</summary>
    public SipResponse? LastProvisionalResponse { get; private set; }

    internal (string Branch, string Method) MatchKey => (Branch, Request.Method);

    /// <summary>Sends the request and arms the timers.</summary>
    internal abstract ValueTask StartAsync();

    /// <summary>A response whose top Via branch and CSeq method match (§17.1.3).</summary>
    internal abstract ValueTask OnResponseAsync(SipResponse response);

    private protected ValueTask<bool> SendToWireAsync(SipRequest request) => Context.Sink.SendAsync(request, Destination, 0);

    private protected void CompleteWith(SipResponse response) => _final.TrySetResult(response);

    /// <summary>Synthesizes the response the TU sees for a timeout (408) or a transport failure (503).</summary>
    private protected SipResponse CompleteLocally(int statusCode)
    {
        var response = SipResponse.CreateFor(Request, statusCode);
        _final.TrySetResult(response);
        return response;
    }

    private protected void RecordProvisional(SipResponse response) => LastProvisionalResponse = response;

    /// <summary>Runs outside the gate so the TU may call back into the stack.</summary>
    private protected void NotifyProvisional(SipResponse response)
    {
        if (_onProvisional is null) return;
        try
        {
            _onProvisional(response);
        }
        catch (Exception ex)
        {
            TransactionLog.EventFailed(Context.Logger, ToString(), ex);
        }
    }

    public override string ToString() => $"client {Request.Method} {Branch} to {Destination}";
}
