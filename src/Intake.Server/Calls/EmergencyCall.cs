using Intake.Media.Sdp;
using Intake.Server.Configuration;
using Intake.Sip.Dialogs;
using Intake.Sip.Transactions;

namespace Intake.Server.Calls;

/// <summary>One caller's emergency call as Intake holds it: the caller's dialog and what was agreed for media.</summary>
public sealed partial class EmergencyCall
{
    private int _ended;

    public EmergencyCall(string id, ServerInviteTransaction invite, Dialog dialog, QueueOptions queue, string dialledNumber, DateTimeOffset arrivedAt)
    {
        Id = id;
        Invite = invite;
        Dialog = dialog;
        Queue = queue;
        DialledNumber = dialledNumber;
        ArrivedAt = arrivedAt;
    }

    /// <summary>Intake's own identifier of the call (the trunk's Call-ID stays in <see cref="Dialog"/>).</summary>
    public string Id { get; }

    public ServerInviteTransaction Invite { get; }

    public Dialog Dialog { get; }

    public QueueOptions Queue { get; }

    public string DialledNumber { get; }

    public DateTimeOffset ArrivedAt { get; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>Our current session description towards the caller (re-INVITEs bump its version).</summary>
    public SdpSessionDescription? LocalSdp { get; set; }

    /// <summary>Set when the INVITE had no SDP: our offer went in the 200, the answer comes in the ACK.</summary>
    public bool AwaitingAnswerInAck { get; set; }

    public NegotiatedAudio? Audio { get; set; }

    public int RtpPort { get; set; }

    /// <summary>The delayed answer (Sip:AnswerDelayMilliseconds), cancelled when the caller gives up.</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    /// <summary>
    /// Completed when the ACD's last decision about this call (abandoned or completed) has been carried out, so the
    /// ended event is never published before the abandoned one.
    /// </summary>
    public TaskCompletionSource AcdReleased { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True for the one caller that gets to end the call; later attempts are no-ops.</summary>
    public bool TryMarkEnded() => Interlocked.Exchange(ref _ended, 1) == 0;
}
