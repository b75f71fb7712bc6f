namespace Intake.Server.Configuration;

/// <summary>One entry of <c>Operators</c>: a person who answers calls on a SIP softphone registered to Intake.</summary>
public sealed class OperatorOptions
{
    /// <summary>SIP user name the softphone registers with (digest auth user).</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>Queues the operator serves: "police", or "police:2" for a skill level (higher is preferred).</summary>
    public List<string> Queues { get; set; } = [];
}
