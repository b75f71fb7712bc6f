namespace Intake.Sip.Registrar;

public enum BindingApplyStatus
{
    Applied,

    /// <summary>A binding with the same Call-ID already has an equal or higher CSeq (RFC 3261 §10.3 step 7).</summary>
    OutOfOrder,

    /// <summary>The AOR would exceed its maximum number of contacts.</summary>
    TooManyContacts,
}
