namespace Intake.Sip.Registrar;

public sealed record RegistrarOptions
{
    /// <summary>Shortest registration accepted; shorter requests get 423 with Min-Expires (RFC 3261 §10.3 step 7).</summary>
    public int MinExpires { get; init; } = 60;

    /// <summary>Longer requests are shortened to this (the registrar may decrease, never increase, §10.3).</summary>
    public int MaxExpires { get; init; } = 3600;

    /// <summary>Used when neither the Contact nor the request has an expiration (§10.2.1.1 suggests 3600).</summary>
    public int DefaultExpires { get; init; } = 3600;

    /// <summary>Domains (Request-URI hosts) this registrar is responsible for; empty accepts any.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    public int MaxContactsPerAor { get; init; } = 10;

    /// <summary>Period of the sweep removing lapsed bindings.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(5);
}
