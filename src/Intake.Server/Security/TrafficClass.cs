namespace Intake.Server.Security;

/// <summary>
/// Kinds of SIP traffic limited separately per source, so that a registration storm from one softphone does not
/// eat the budget of its keep-alive OPTIONS or its calls.
/// </summary>
public enum TrafficClass
{
    Register,
    Options,
    Other,
}
