namespace Intake.Sip.Messages;

/// <summary>Method names (case-sensitive per RFC 3261 §7.1).</summary>
public static class SipMethods
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Options = "OPTIONS";
    public const string Register = "REGISTER";
    public const string Info = "INFO";
    public const string Update = "UPDATE";
    public const string Prack = "PRACK";
    public const string Subscribe = "SUBSCRIBE";
    public const string Notify = "NOTIFY";
    public const string Refer = "REFER";
    public const string Message = "MESSAGE";
    public const string Publish = "PUBLISH";

    /// <summary>Returns the interned constant for a known method so parsing does not allocate; null otherwise.</summary>
    internal static string? Intern(ReadOnlySpan<byte> method)
    {
        switch (method.Length)
        {
            case 3:
                if (method.SequenceEqual("ACK"u8)) return Ack;
                if (method.SequenceEqual("BYE"u8)) return Bye;
                break;
            case 4:
                if (method.SequenceEqual("INFO"u8)) return Info;
                break;
            case 5:
                if (method.SequenceEqual("PRACK"u8)) return Prack;
                if (method.SequenceEqual("REFER"u8)) return Refer;
                break;
            case 6:
                if (method.SequenceEqual("INVITE"u8)) return Invite;
                if (method.SequenceEqual("CANCEL"u8)) return Cancel;
                if (method.SequenceEqual("UPDATE"u8)) return Update;
                if (method.SequenceEqual("NOTIFY"u8)) return Notify;
                break;
            case 7:
                if (method.SequenceEqual("OPTIONS"u8)) return Options;
                if (method.SequenceEqual("MESSAGE"u8)) return Message;
                if (method.SequenceEqual("PUBLISH"u8)) return Publish;
                break;
            case 8:
                if (method.SequenceEqual("REGISTER"u8)) return Register;
                break;
            case 9:
                if (method.SequenceEqual("SUBSCRIBE"u8)) return Subscribe;
                break;
        }

        return null;
    }
}
