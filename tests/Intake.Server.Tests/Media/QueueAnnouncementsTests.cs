using Intake.Media.Prompts;
using Intake.Server.Configuration;
using Intake.Server.Media;
using Intake.Server.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using NAudio.Wave;

namespace Intake.Server.Tests.Media;

public sealed class QueueAnnouncementsTests : IDisposable
{
    private readonly TempDirectory _prompts = new("intake-prompts");

    public void Dispose() => _prompts.Dispose();

    /// <summary>A prompt file of <paramref name="frames"/> 20 ms frames of a constant level.</summary>
    private void Write(string name, int frames)
    {
        using var writer = new WaveFileWriter(Path.Combine(_prompts.Path, name + ".wav"), new WaveFormat(8000, 16, 1));
        var samples = Enumerable.Repeat((short)1000, frames * 160).ToArray();
        writer.WriteSamples(samples, 0, samples.Length);
    }

    private QueueAnnouncements Create(string language = "fr") => new(new PromptLibrary(_prompts.Path), language, NullLogger.Instance);

    [Fact]
    public void For_QueueNamesNoPrompt_GreetingThenHoldInPromptLanguageEveryInterval()
    {
        Write("greeting-fr", 10);
        Write("greeting-en", 11);
        Write("hold-fr", 12);

        var playlist = Create().For(new QueueOptions { Name = "police", HoldPromptIntervalSeconds = 25 });

        Assert.NotNull(playlist);
        Assert.Equal("greeting-fr", Assert.Single(playlist.Items).Name);
        Assert.Equal("hold-fr", playlist.Repeat!.Name);
        Assert.Equal(TimeSpan.FromSeconds(25), playlist.RepeatPeriod);
    }

    [Fact]
    public void For_LanguageWithoutPrompts_FallsBackToEnglish()
    {
        Write("greeting-en", 10);
        Write("hold-en", 12);

        var playlist = Create("ar").For(new QueueOptions { Name = "fire" });

        Assert.Equal("greeting-en", Assert.Single(playlist!.Items).Name);
        Assert.Equal("hold-en", playlist.Repeat!.Name);
    }

    [Fact]
    public void For_QueueLists_GreetingsInOrderAndHoldsJoinedIntoOneReminder()
    {
        Write("welcome", 10);
        Write("recorded", 20);
        Write("busy", 30);
        Write("stay", 40);
        var queue = new QueueOptions { Name = "medical", GreetingPrompt = ["welcome", "recorded"], HoldPrompt = ["busy", "stay"], HoldPromptIntervalSeconds = 7 };

        var playlist = Create().For(queue);

        Assert.Equal(["welcome", "recorded"], playlist!.Items.Select(p => p.Name));
        Assert.Equal(70, playlist.Repeat!.FrameCount);
        Assert.Equal("busy+stay", playlist.Repeat.Name);
        Assert.Equal(TimeSpan.FromSeconds(7), playlist.RepeatPeriod);
    }

    [Fact]
    public void For_MissingPromptName_SkippedAndTheOthersKept()
    {
        Write("welcome", 10);
        var queue = new QueueOptions { Name = "police", GreetingPrompt = ["missing", "welcome"], HoldPrompt = ["../escape"] };

        var playlist = Create().For(queue);

        Assert.Equal("welcome", Assert.Single(playlist!.Items).Name);
        Assert.Null(playlist.Repeat);
    }

    [Fact]
    public void For_NoPromptAvailable_Null()
    {
        Assert.Null(Create().For(new QueueOptions { Name = "police" }));
    }

    [Fact]
    public void For_SameQueueTwice_SamePlaylist()
    {
        Write("greeting-fr", 10);
        var announcements = Create();
        var queue = new QueueOptions { Name = "police" };

        Assert.Same(announcements.For(queue), announcements.For(queue));
    }
}
