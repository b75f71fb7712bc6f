using Intake.Media.Sdp;
using Intake.Sip.Dialogs;
using Intake.Sip.Transactions;

namespace Intake.Server.Calls;

/// <summary>
/// Intake's own call towards an operator's softphone (or another centre on overflow): a separate dialog, Call-ID and
/// SDP offer, so the caller's trunk never sees the operator side (B2BUA).
/// </summary>
public sealed class OperatorLeg(EmergencyCall call, string target, bool isOverflow, DateTimeOffset startedAt)
{
    private readonly Lock _gate = new();
    private OperatorLegState _state = OperatorLegState.Inviting;

    public EmergencyCall Call { get; } = call;

    /// <summary>The operator's username, or the overflow URI.</summary>
    public string Target { get; } = target;

    public bool IsOverflow { get; } = isOverflow;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? AnsweredAt { get; set; }

    public ClientInviteTransaction? Invite { get; set; }

    public Dialog? Dialog { get; set; }

    /// <summary>Our offer towards the operator.</summary>
    public SdpSessionDescription? LocalSdp { get; set; }

    public NegotiatedAudio? Audio { get; set; }

    private Intake.Media.Rtp.RtpSession? _media;

    /// <summary>The operator leg's RTP session, owned by <see cref="BridgeMedia"/>.</summary>
    public Intake.Media.Rtp.RtpSession? Media
    {
        get => Volatile.Read(ref _media);
        set => Volatile.Write(ref _media, value);
    }

    /// <summary>Takes the session for disposal; only one caller gets it.</summary>
    public Intake.Media.Rtp.RtpSession? TakeMedia() => Interlocked.Exchange(ref _media, null);

    public OperatorLegState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Moves the leg on, unless it has already reached a state it cannot leave.</summary>
    public bool TryMove(OperatorLegState from, OperatorLegState to)
    {
        lock (_gate)
        {
            if (_state != from)
            {
                return false;
            }

            _state = to;
            return true;
        }
    }

    /// <summary>Ends the leg from whatever state; false if it had already ended.</summary>
    public bool TryEnd(OperatorLegState final)
    {
        lock (_gate)
        {
            if (_state is OperatorLegState.Failed or OperatorLegState.Cancelled or OperatorLegState.Ended)
            {
                return false;
            }

            _state = final;
            return true;
        }
    }

    public override string ToString() => $"{(IsOverflow ? "overflow" : "operator")} leg {Target} of call {Call.Id} ({State})";
}
