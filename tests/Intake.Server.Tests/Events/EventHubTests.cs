using Intake.Server.Events;
using Intake.Server.Tests.Storage;

namespace Intake.Server.Tests.Events;

public sealed class EventHubTests
{
    [Fact]
    public void Publish_FullSubscriber_DroppedAndOthersStillServed()
    {
        var hub = new EventHub();
        using var slow = hub.Subscribe(2);
        using var fast = hub.Subscribe(100);

        for (ulong i = 1; i <= 5; i++)
        {
            hub.Publish(Record(i));
        }

        Assert.True(slow.HasOverflowed);
        Assert.False(fast.HasOverflowed);
        Assert.Equal(1, hub.SubscriberCount);
        Assert.Equal(5UL, hub.LatestSequence);
        var delivered = new List<ulong>();
        while (fast.Reader.TryRead(out var record))
        {
            delivered.Add(record.Sequence);
        }

        Assert.Equal([1UL, 2UL, 3UL, 4UL, 5UL], delivered);
        Assert.Equal(2, slow.Reader.Count);
    }

    [Fact]
    public async Task Publish_FullSubscriber_OverflowedTokenFires()
    {
        var hub = new EventHub();
        using var slow = hub.Subscribe(1);
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = slow.Overflowed.Register(() => fired.TrySetResult());

        hub.Publish(Record(1));
        hub.Publish(Record(2));

        await fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(slow.Overflowed.IsCancellationRequested);
    }

    [Fact]
    public async Task WaitForAppend_AlreadyPublished_CompletesAtOnceElseOnNextPublish()
    {
        var hub = new EventHub();
        hub.Publish(Record(1));

        Assert.True(hub.WaitForAppendAsync(0, CancellationToken.None).IsCompleted);
        var waiting = hub.WaitForAppendAsync(1, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        hub.Publish(Record(2));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Dispose_Subscription_RemovedFromHub()
    {
        var hub = new EventHub();
        var subscription = hub.Subscribe(10);

        subscription.Dispose();
        hub.Publish(Record(1));

        Assert.Equal(0, hub.SubscriberCount);
        Assert.False(subscription.Reader.TryRead(out _));
    }

    private static CallEventRecord Record(ulong sequence)
    {
        var evt = TestEvents.Dtmf("c1", (int)sequence);
        evt.Sequence = sequence;
        return new CallEventRecord(evt, "police");
    }
}
