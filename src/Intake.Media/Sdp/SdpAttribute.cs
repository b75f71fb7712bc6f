namespace Intake.Media.Sdp;

/// <summary>An a= line: a property attribute (no value) or a name:value attribute.</summary>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    /// <inheritdoc />
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
