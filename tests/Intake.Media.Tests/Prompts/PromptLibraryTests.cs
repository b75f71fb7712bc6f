using Intake.Media.Prompts;
using Intake.Media.Tests.TestSupport;
using NAudio.Wave;

namespace Intake.Media.Tests.Prompts;

public sealed class PromptLibraryTests
{
    [Theory]
    [InlineData("greeting", "ar")]
    [InlineData("greeting", "fr")]
    [InlineData("greeting", "en")]
    [InlineData("hold", "ar")]
    [InlineData("hold", "fr")]
    [InlineData("hold", "en")]
    public void Find_ShippedPrompts_Are8kMonoSpeech(string name, string language)
    {
        var path = Path.Combine(RepoPaths.Prompts, $"{name}-{language}.wav");
        using (var reader = new WaveFileReader(path))
        {
            Assert.Equal(8000, reader.WaveFormat.SampleRate);
            Assert.Equal(1, reader.WaveFormat.Channels);
            Assert.Equal(16, reader.WaveFormat.BitsPerSample);
        }

        var prompt = new PromptLibrary(RepoPaths.Prompts).Find(name, language);

        Assert.NotNull(prompt);
        Assert.InRange(prompt.Duration.TotalSeconds, 2, 15);
    }

    [Fact]
    public void TryGet_SameName_ReturnsCachedInstance()
    {
        var library = new PromptLibrary(RepoPaths.Prompts);

        Assert.True(library.TryGet("beep-ready", out var first, out _));
        Assert.True(library.TryGet("beep-ready", out var second, out _));
        Assert.Same(first, second);
        Assert.Contains("beep-not-ready", library.AvailableNames);
    }

    [Fact]
    public void TryGet_MissingOrTraversal_ReturnsError()
    {
        var library = new PromptLibrary(RepoPaths.Prompts);

        Assert.False(library.TryGet("nope", out _, out var missing));
        Assert.False(library.TryGet("../secret", out _, out var traversal));
        Assert.Contains("not found", missing, StringComparison.Ordinal);
        Assert.Contains("Invalid", traversal, StringComparison.Ordinal);
    }

    [Fact]
    public void FromWaveFile_16kStereo_ResampledTo8kMono()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "wide.wav");
        using (var writer = new WaveFileWriter(path, new WaveFormat(16000, 16, 2)))
        {
            for (var i = 0; i < 16000; i++)
            {
                var s = (short)(10000 * Math.Sin(i * 2 * Math.PI * 400 / 16000));
                writer.WriteSample(s / 32768f);
                writer.WriteSample(s / 32768f);
            }
        }

        var prompt = Prompt.FromWaveFile(path);

        Assert.InRange(prompt.SampleCount, 7900, 8100);
        Assert.Equal(50, prompt.FrameCount);
        Assert.Equal(160, prompt.GetFrame(Intake.Media.Codecs.AudioEncoding.Pcma, 10).Length);
    }
}
