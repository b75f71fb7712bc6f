using Intake.Contracts.V1;

namespace Intake.Server.Storage;

/// <summary>One page of a call list and where the next one starts (null on the last page).</summary>
public sealed record CallPage(IReadOnlyList<Call> Calls, CallPageToken? Next);
