namespace Intake.Server.Tests.Integration;

/// <summary>Tests that run real peers against the real server share the 2 cores one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class IntegrationCollection
{
    public const string Name = "Integration";
}
