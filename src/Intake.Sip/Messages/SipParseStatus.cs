namespace Intake.Sip.Messages;

public enum SipParseStatus
{
    Ok,
    Malformed,
}
