namespace Intake.Sip.Registrar;

/// <summary>The request-wide facts that every binding created or refreshed by one REGISTER shares.</summary>
public sealed record RegisterRequestContext(string CallId, uint CSeq, RegistrationSource Source, string? UserAgent);
