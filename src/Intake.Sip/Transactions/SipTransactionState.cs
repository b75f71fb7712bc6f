namespace Intake.Sip.Transactions;

/// <summary>States of the RFC 3261 §17 transaction machines, with RFC 6026 "Accepted" for INVITE 2xx.</summary>
public enum SipTransactionState
{
    /// <summary>Client INVITE: request sent, nothing heard yet.</summary>
    Calling,

    /// <summary>Non-INVITE: request sent (client) or received (server), no response yet.</summary>
    Trying,

    Proceeding,
    Completed,

    /// <summary>Server INVITE: ACK for the non-2xx final response received.</summary>
    Confirmed,

    /// <summary>RFC 6026: a 2xx to INVITE was sent or received; retransmissions are absorbed or passed up.</summary>
    Accepted,

    Terminated,
}
