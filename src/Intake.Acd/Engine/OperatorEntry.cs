using Intake.Acd.Operators;

namespace Intake.Acd.Engine;

/// <summary>Mutable state of one configured operator; guarded by the engine's lock.</summary>
internal sealed class OperatorEntry(string username, string? displayName)
{
    public string Username { get; } = username;

    public string? DisplayName { get; } = displayName;

    public List<QueueMembership> Memberships { get; } = [];

    public AcdOperatorState State { get; set; } = AcdOperatorState.LoggedOut;

    public string Reason { get; set; } = AcdReasons.Unregistered;

    public DateTimeOffset StateSince { get; set; }

    public DateTimeOffset? IdleSince { get; set; }

    /// <summary>The single call ringing at this operator; non-null exactly while Ringing.</summary>
    public CallEntry? OfferedCall { get; set; }

    /// <summary>Identifies the current offer so a stale ring-timeout deadline is ignored.</summary>
    public long OfferId { get; set; }

    /// <summary>The connected call; non-null exactly while OnCall.</summary>
    public CallEntry? Call { get; set; }

    public long WrapUpId { get; set; }

    /// <summary>Unregistered while on a call: log out when the call ends.</summary>
    public string? PendingLogoutReason { get; set; }

    /// <summary>Asked for not-ready while on a call: pause after wrap-up instead of becoming available.</summary>
    public string? PendingNotReadyReason { get; set; }

    public bool IsLoggedIn => State != AcdOperatorState.LoggedOut;
}
