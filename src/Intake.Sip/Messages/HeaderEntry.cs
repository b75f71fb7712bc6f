namespace Intake.Sip.Messages;

/// <summary>
/// One header line. Entries read off the wire point into the message buffer (Raw*, Value*) and materialise
/// strings on first access; entries added or changed through <see cref="SipHeaders"/> have RawStart = -1.
/// </summary>
internal struct HeaderEntry
{
    public HeaderId Id;
    public bool Folded;
    public string? Name;
    public string? Value;
    public int RawStart;
    public int RawLength;
    public int NameLength;
    public int ValueStart;
    public int ValueLength;

    public readonly bool IsRaw => RawStart >= 0;
}
