using Microsoft.Extensions.Configuration;

namespace Intake.Server.Configuration;

/// <summary>Every section of the configuration, bound once at start so that one validation pass can report all problems.</summary>
public sealed class IntakeConfiguration
{
    public IntakeOptions Intake { get; init; } = new();

    public SipOptions Sip { get; init; } = new();

    public RtpOptions Rtp { get; init; } = new();

    public List<QueueOptions> Queues { get; init; } = [];

    public List<OperatorOptions> Operators { get; init; } = [];

    private static List<string> ReadList(IConfigurationSection section) =>
        section.Value is { } single ? [single] : [.. section.GetChildren().Select(c => c.Value).OfType<string>()];

    /// <summary>Binds the sections; a value of the wrong type surfaces as <see cref="ConfigurationException"/> naming the key.</summary>
    public static IntakeConfiguration Bind(IConfiguration configuration)
    {
        try
        {
            var result = new IntakeConfiguration();
            configuration.GetSection(IntakeOptions.Section).Bind(result.Intake);
            configuration.GetSection(SipOptions.Section).Bind(result.Sip);
            configuration.GetSection(RtpOptions.Section).Bind(result.Rtp);
            configuration.GetSection("Queues").Bind(result.Queues);
            configuration.GetSection("Operators").Bind(result.Operators);
            var queueSections = configuration.GetSection("Queues").GetChildren().ToList();
            for (var i = 0; i < queueSections.Count && i < result.Queues.Count; i++)
            {
                // A single prompt may be written as a string; the binder only knows lists.
                result.Queues[i].GreetingPrompt = ReadList(queueSections[i].GetSection("GreetingPrompt"));
                result.Queues[i].HoldPrompt = ReadList(queueSections[i].GetSection("HoldPrompt"));
            }

            return result;
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message already names the key ("Failed to convert configuration value at 'Sip:Port' ...").
            throw new ConfigurationException(ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}");
        }
    }
}
