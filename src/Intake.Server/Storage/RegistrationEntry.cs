namespace Intake.Server.Storage;

/// <summary>One persisted registrar binding, opaque to the store: the registrar chooses the key and the value's format.</summary>
public sealed record RegistrationEntry(string Key, byte[] Value, DateTimeOffset ExpiresAt);
