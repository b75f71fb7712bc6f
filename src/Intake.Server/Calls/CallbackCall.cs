using Intake.Media.Recording;
using Intake.Media.Relay;
using Intake.Media.Rtp;
using Intake.Media.Sdp;
using Intake.Sip.Dialogs;

namespace Intake.Server.Calls;

/// <summary>
/// A PSAP call-back (RFC 7090): Intake rings the operator first, then calls the caller of an abandoned emergency
/// call back and bridges the two, recording as for any call (caller left, operator right).
/// </summary>
public sealed class CallbackCall(CallbackDialer dialer, string id, string originalCallId, string callerNumber, string @operator, DateTimeOffset startedAt)
    : IDialogRequestHandler
{
    private readonly TaskCompletionSource<string> _hungUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    public string OriginalCallId { get; } = originalCallId;

    public string CallerNumber { get; } = callerNumber;

    public string Operator { get; } = @operator;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? ConnectedAt { get; set; }

    public RtpSession? OperatorMedia { get; set; }

    public RtpSession? CallerMedia { get; set; }

    public SdpSessionDescription? OperatorOffer { get; set; }

    public SdpSessionDescription? CallerOffer { get; set; }

    public Dialog? OperatorDialog { get; set; }

    public Dialog? CallerDialog { get; set; }

    public RtpRelay? Relay { get; set; }

    public CallRecorder? Recorder { get; set; }

    /// <summary>Completes with "caller" or "operator" when that side sends BYE.</summary>
    public Task<string> HungUp => _hungUp.Task;

    public ValueTask OnDialogRequestAsync(Intake.Sip.Transactions.SipServerTransaction transaction, Dialog dialog) =>
        dialer.OnInDialogRequestAsync(transaction, dialog, this);

    public void OnHangUp(Dialog dialog) =>
        _hungUp.TrySetResult(ReferenceEquals(dialog, CallerDialog) ? "caller" : "operator");
}
