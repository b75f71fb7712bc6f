namespace Intake.Sip.Dialogs;

/// <summary>Why the stack ended a dialog on its own.</summary>
public enum DialogTerminationReason
{
    /// <summary>§13.3.1.4: the 2xx to INVITE was never ACKed within 64*T1; the stack sent BYE.</summary>
    AckTimeout,

    /// <summary>A BYE was received and answered with 2xx, or sent.</summary>
    Bye,

    /// <summary>The dialog-creating INVITE ended with a non-2xx final response.</summary>
    Rejected,
}
