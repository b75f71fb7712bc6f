namespace Intake.Server.Sip;

/// <summary>What Intake's UAS announces in Allow, Accept and Supported (RFC 3261 §11, §20).</summary>
public static class SipCapabilities
{
    public const string Allow = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REGISTER";

    public const string Accept = "application/sdp, multipart/mixed, application/pidf+xml";

    /// <summary>Option tags understood; none of the extensions that need one is required for an emergency call.</summary>
    public const string Supported = "";

    public static readonly string[] Methods = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "INFO", "UPDATE", "REGISTER"];
}
