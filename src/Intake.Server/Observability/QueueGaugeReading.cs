namespace Intake.Server.Observability;

/// <summary>One ACD queue at the moment of a scrape: calls waiting and how long the oldest of them has waited.</summary>
public readonly record struct QueueGaugeReading(string Queue, int Waiting, TimeSpan LongestWait);
