using System.Collections.Concurrent;
using Intake.Media.Codecs;
using Intake.Media.Prompts;
using Intake.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Media;

/// <summary>
/// What a waiting caller hears per queue: its <c>GreetingPrompt</c> list once, then its <c>HoldPrompt</c> list every
/// <c>HoldPromptIntervalSeconds</c>; a queue naming none gets "greeting"/"hold" in <c>Intake:PromptLanguage</c>.
/// Built once per queue: the prompts are decoded at the first call, not at start-up.
/// </summary>
public sealed class QueueAnnouncements(PromptLibrary library, string language, ILogger logger)
{
    private readonly ConcurrentDictionary<string, PromptPlaylist?> _byQueue = new(StringComparer.Ordinal);

    /// <summary>The playlist for the queue, or null when none of its prompts can be found (the caller then hears silence).</summary>
    public PromptPlaylist? For(QueueOptions queue) => _byQueue.GetOrAdd(queue.Name, _ => Build(queue));

    private PromptPlaylist? Build(QueueOptions queue)
    {
        var greetings = queue.GreetingPrompt.Count > 0 ? Load(queue, queue.GreetingPrompt) : Default(queue, "greeting");
        var holds = queue.HoldPrompt.Count > 0 ? Load(queue, queue.HoldPrompt) : Default(queue, "hold");
        var hold = holds.Count switch
        {
            0 => null,
            1 => holds[0],
            _ => Concatenate(holds),
        };

        if (greetings.Count == 0 && hold is null)
        {
            return null;
        }

        var period = TimeSpan.FromSeconds(Math.Max(1, queue.HoldPromptIntervalSeconds));
        return new PromptPlaylist(greetings, hold, hold is null ? default : period);
    }

    private List<Prompt> Load(QueueOptions queue, IEnumerable<string> names)
    {
        var prompts = new List<Prompt>();
        foreach (var name in names)
        {
            if (library.TryGet(name, out var prompt, out var error))
            {
                prompts.Add(prompt!);
            }
            else
            {
                MediaLog.PromptMissing(logger, queue.Name, name, error ?? "not found");
            }
        }

        return prompts;
    }

    private List<Prompt> Default(QueueOptions queue, string baseName)
    {
        if (library.Find(baseName, language) is { } prompt)
        {
            return [prompt];
        }

        MediaLog.PromptMissing(logger, queue.Name, $"{baseName}-{language}", "no prompt in this language, in English or without a language");
        return [];
    }

    /// <summary>
    /// One reminder made of several prompts, since a playlist repeats a single prompt. Mu-law decoding keeps 14 bits,
    /// which is what every caller hears anyway.
    /// </summary>
    private static Prompt Concatenate(List<Prompt> prompts)
    {
        var samples = new short[prompts.Sum(p => p.FrameCount) * G711.SamplesPerFrame];
        var offset = 0;
        foreach (var prompt in prompts)
        {
            for (var frame = 0; frame < prompt.FrameCount; frame++)
            {
                G711.Decode(AudioEncoding.Pcmu, prompt.GetFrame(AudioEncoding.Pcmu, frame), samples.AsSpan(offset, G711.SamplesPerFrame));
                offset += G711.SamplesPerFrame;
            }
        }

        return Prompt.FromSamples(string.Join('+', prompts.Select(p => p.Name)), samples);
    }
}
