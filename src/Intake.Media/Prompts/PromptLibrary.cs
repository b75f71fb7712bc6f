using System.Collections.Concurrent;

namespace Intake.Media.Prompts;

/// <summary>
/// Loads prompts from a directory once and keeps them (encoded) for the life of the process.
/// Names are file names without ".wav", e.g. "greeting-fr". Thread-safe.
/// </summary>
public sealed class PromptLibrary
{
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, Lazy<Prompt>> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a library over <paramref name="directory"/> (e.g. sip-config/prompts).</summary>
    public PromptLibrary(string directory) => _directory = directory;

    /// <summary>Names of the WAV files present.</summary>
    public IReadOnlyList<string> AvailableNames =>
        Directory.Exists(_directory)
            ? [.. Directory.EnumerateFiles(_directory, "*.wav").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// Gets a prompt, loading and encoding it on first use. False when the file is missing or
    /// not a readable WAV (the error is in <paramref name="error"/>).
    /// </summary>
    public bool TryGet(string name, out Prompt? prompt, out string? error)
    {
        prompt = null;
        error = null;
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..", StringComparison.Ordinal))
        {
            error = $"Invalid prompt name '{name}'";
            return false;
        }

        var path = Path.Combine(_directory, name + ".wav");
        if (!File.Exists(path))
        {
            error = $"Prompt file '{path}' not found";
            return false;
        }

        var lazy = _cache.GetOrAdd(name, _ => new Lazy<Prompt>(() => Prompt.FromWaveFile(path)));
        try
        {
            prompt = lazy.Value;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            _cache.TryRemove(name, out _);
            error = $"Prompt file '{path}' is not a usable WAV: {ex.Message}";
            return false;
        }
    }

    /// <summary>Gets a prompt in a language with fallback: "greeting" + "fr" tries greeting-fr, then greeting-en, then greeting.</summary>
    public Prompt? Find(string baseName, string language)
    {
        foreach (var candidate in new[] { $"{baseName}-{language}", $"{baseName}-en", baseName })
        {
            if (TryGet(candidate, out var prompt, out _))
            {
                return prompt;
            }
        }

        return null;
    }
}
