namespace Intake.Sip.Messages;

/// <summary>Hard limits checked by <see cref="SipParser"/> before the corresponding work is done.</summary>
public sealed record SipParserLimits
{
    public static SipParserLimits Default { get; } = new();

    /// <summary>Whole message; exceeding it yields 513.</summary>
    public int MaxMessageBytes { get; init; } = 65535;

    /// <summary>Header lines (continuations excluded); exceeding it yields 400.</summary>
    public int MaxHeaderCount { get; init; } = 256;

    /// <summary>Any single line including folded continuations; exceeding it yields 400.</summary>
    public int MaxLineBytes { get; init; } = 8192;

    /// <summary>Body; exceeding it yields 413.</summary>
    public int MaxBodyBytes { get; init; } = 32768;

    /// <summary>Request-URI; exceeding it yields 414.</summary>
    public int MaxUriBytes { get; init; } = 4096;
}
