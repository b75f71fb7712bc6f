namespace Intake.Server.Observability;

/// <summary>How many events one reader of the event log (a Watch subscriber or a dispatch sink) is behind.</summary>
public readonly record struct FeedLagReading(string Name, long LagEvents);
