using System.Collections.Concurrent;

namespace Intake.Server.Calls;

/// <summary>What the ACD and the B2BUA need to know about the call beyond the caller's dialog.</summary>
public sealed partial class EmergencyCall
{
    /// <summary>Name of the configured trunk the INVITE came from; empty when no trunks are configured.</summary>
    public string Trunk { get; set; } = "";

    /// <summary>Caller number as dispatch sees it (From user part or the asserted identity).</summary>
    public string CallerNumber { get; set; } = "";

    /// <summary>Operator legs ringing now, by username (ring-all rings several).</summary>
    public ConcurrentDictionary<string, OperatorLeg> RingingLegs { get; } = new(StringComparer.Ordinal);

    /// <summary>The leg the caller talks to once an operator (or the overflow centre) has answered.</summary>
    public OperatorLeg? BridgedLeg { get; set; }

    /// <summary>True once the call has been handed to the overflow centre.</summary>
    public bool Overflowed { get; set; }

    /// <summary>Number of operators tried so far (the "attempt" of the ringing event).</summary>
    public int RingAttempts;

    /// <summary>Who hung up: "caller", "operator", "server", "remote-centre".</summary>
    public string? HungUpBy { get; set; }

    /// <summary>How the call ended for dispatch: answered, abandoned, overflowed, media-timeout, failed.</summary>
    public string? Outcome { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>From display name (or the asserted identity's) as the operator's phone shows it.</summary>
    public string CallerDisplayName { get; set; } = "";

    /// <summary>Serialises setting up and tearing down the relay against each other.</summary>
    public Lock BridgeGate { get; } = new();

    /// <summary>Caller and operator RTP joined; null until an operator (or the overflow centre) answers.</summary>
    public Intake.Media.Relay.RtpRelay? Relay { get; set; }

    /// <summary>Plays the hold reminder to the caller while the operator holds.</summary>
    public Intake.Media.Prompts.PromptPlayer? HoldPlayer { get; set; }

    /// <summary>The operator leg's RTP quality at the end of the call.</summary>
    public Intake.Media.Rtp.RtpQualitySnapshot? OperatorQuality { get; set; }

    public bool IsEnded => Volatile.Read(ref _ended) != 0;
}
