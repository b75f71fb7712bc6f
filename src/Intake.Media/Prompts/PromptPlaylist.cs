namespace Intake.Media.Prompts;

/// <summary>
/// What a <see cref="PromptPlayer"/> plays: <see cref="Items"/> once in order, then — if
/// <see cref="Repeat"/> is set — that prompt over and over, each time preceded by silence of
/// <see cref="RepeatPeriod"/> minus its own length (so successive reminders start one period
/// apart and the first ends one period after the items), until stopped.
/// </summary>
public sealed class PromptPlaylist
{
    /// <summary>Creates a playlist.</summary>
    public PromptPlaylist(IReadOnlyList<Prompt> items, Prompt? repeat = null, TimeSpan repeatPeriod = default)
    {
        if (repeat is not null && repeatPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(repeatPeriod), "A repeated prompt needs a positive period.");
        }

        Items = items;
        Repeat = repeat;
        RepeatPeriod = repeatPeriod;
    }

    /// <summary>Prompts played once, in order, back to back.</summary>
    public IReadOnlyList<Prompt> Items { get; }

    /// <summary>Prompt repeated after the items (hold reminder), or null.</summary>
    public Prompt? Repeat { get; }

    /// <summary>Start-to-start period of the repeated prompt.</summary>
    public TimeSpan RepeatPeriod { get; }

    /// <summary>Plays the prompts once, in order.</summary>
    public static PromptPlaylist Once(params Prompt[] items) => new(items);

    /// <summary>Greeting once, then the reminder every <paramref name="period"/> (the queue announcement).</summary>
    public static PromptPlaylist GreetingThenReminder(Prompt greeting, Prompt reminder, TimeSpan period) => new([greeting], reminder, period);

    /// <summary>One prompt right away and then every <paramref name="period"/> (hold).</summary>
    public static PromptPlaylist Loop(Prompt prompt, TimeSpan period) => new([prompt], prompt, period);
}
