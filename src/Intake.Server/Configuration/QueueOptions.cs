namespace Intake.Server.Configuration;

/// <summary>One entry of <c>Queues</c>: an emergency service reached by one or more dialled numbers.</summary>
public sealed class QueueOptions
{
    public string Name { get; set; } = "";

    /// <summary>Dialled numbers (Request-URI user part) that reach this queue, e.g. "19", "112".</summary>
    public List<string> Numbers { get; set; } = [];

    /// <summary>Higher is served first across queues.</summary>
    public int Priority { get; set; }
}
