using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Transport;

public sealed class SipInboundQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static List<(string Item, SipInboundPriority Priority)> DrainAll(SipInboundQueue<string> queue)
    {
        var taken = new List<(string, SipInboundPriority)>();
        while (queue.TryDequeue(out var item, out var priority))
        {
            taken.Add((item, priority));
        }

        return taken;
    }

    [Fact]
    public void TryDequeue_HighQueuedAfterLow_HighFirstThenLowEachInArrivalOrder()
    {
        using var queue = new SipInboundQueue<string>(8, 8);
        queue.TryEnqueueLow("register-1");
        queue.TryEnqueueLow("register-2");
        queue.TryEnqueueHigh("invite");
        queue.TryEnqueueLow("register-3");
        queue.TryEnqueueHigh("ack");

        var taken = DrainAll(queue);

        Assert.Equal(["invite", "ack", "register-1", "register-2", "register-3"], taken.Select(t => t.Item));
        Assert.Equal(
            [SipInboundPriority.High, SipInboundPriority.High, SipInboundPriority.Low, SipInboundPriority.Low, SipInboundPriority.Low],
            taken.Select(t => t.Priority));
    }

    [Fact]
    public void TryDequeue_ThreePriorities_HighThenNormalThenLowEachInArrivalOrder()
    {
        using var queue = new SipInboundQueue<string>(8, 8, 8);
        queue.TryEnqueueLow("register");
        queue.TryEnqueueNormal("stranger-invite-1");
        queue.TryEnqueueHigh("trunk-invite");
        queue.TryEnqueueNormal("stranger-invite-2");
        queue.TryEnqueueLow("options");
        queue.TryEnqueueHigh("trunk-ack");

        var taken = DrainAll(queue);

        Assert.Equal(["trunk-invite", "trunk-ack", "stranger-invite-1", "stranger-invite-2", "register", "options"], taken.Select(t => t.Item));
        Assert.Equal(
            [SipInboundPriority.High, SipInboundPriority.High, SipInboundPriority.Normal, SipInboundPriority.Normal, SipInboundPriority.Low, SipInboundPriority.Low],
            taken.Select(t => t.Priority));
    }

    [Fact]
    public void TryEnqueueNormal_NormalQueueFull_RefusedWhileHighAndLowStillAccepted()
    {
        using var queue = new SipInboundQueue<string>(2, 3, 2);
        var normalAccepted = Enumerable.Range(0, 10).Count(i => queue.TryEnqueueNormal("normal-" + i));

        Assert.Equal(3, normalAccepted);
        Assert.Equal(3, queue.NormalCount);
        Assert.True(queue.TryEnqueueHigh("trunk-invite"));
        Assert.True(queue.TryEnqueueLow("register"));
        Assert.Equal(["trunk-invite", "normal-0", "normal-1", "normal-2", "register"], DrainAll(queue).Select(t => t.Item));
        Assert.True(queue.TryEnqueueNormal("normal-after-drain"));
    }

    [Fact]
    public void TryEnqueueLow_LowQueueFull_RefusedWhileHighStillAccepted()
    {
        using var queue = new SipInboundQueue<string>(2, 3);
        var lowAccepted = Enumerable.Range(0, 10).Count(i => queue.TryEnqueueLow("low-" + i));

        var highAccepted = queue.TryEnqueueHigh("invite");

        Assert.Equal(3, lowAccepted);
        Assert.True(highAccepted);
        Assert.Equal(3, queue.LowCount);
        Assert.Equal(["invite", "low-0", "low-1", "low-2"], DrainAll(queue).Select(t => t.Item));
    }

    [Fact]
    public void TryEnqueueLow_AfterLowDrained_AcceptedAgain()
    {
        using var queue = new SipInboundQueue<string>(1, 1);
        queue.TryEnqueueLow("first");
        var whileFull = queue.TryEnqueueLow("refused");
        queue.TryDequeue(out _, out _);

        var afterDrain = queue.TryEnqueueLow("second");

        Assert.False(whileFull);
        Assert.True(afterDrain);
    }

    [Fact]
    public async Task EnqueueHighAsync_HighQueueFull_WaitsUntilProcessingFreesRoomAndKeepsEveryItem()
    {
        using var queue = new SipInboundQueue<string>(2, 2);
        queue.TryEnqueueHigh("invite-1");
        queue.TryEnqueueHigh("invite-2");
        var refused = queue.TryEnqueueHigh("invite-3");

        var waiting = queue.EnqueueHighAsync("invite-3", CancellationToken.None).AsTask();
        var completedWhileFull = waiting.IsCompleted;
        var (first, _) = await queue.DequeueAsync(CancellationToken.None);
        await waiting.WaitAsync(Timeout);

        Assert.False(refused);
        Assert.False(completedWhileFull);
        Assert.Equal("invite-1", first);
        Assert.Equal(["invite-2", "invite-3"], DrainAll(queue).Select(t => t.Item));
    }

    [Fact]
    public async Task EnqueueHighAsync_CancelledWhileFull_ThrowsAndQueuesNothing()
    {
        using var queue = new SipInboundQueue<string>(1, 1);
        queue.TryEnqueueHigh("invite-1");
        using var cts = new CancellationTokenSource();

        var waiting = queue.EnqueueHighAsync("invite-2", cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(["invite-1"], DrainAll(queue).Select(t => t.Item));
    }

    [Fact]
    public async Task DequeueAsync_Empty_CompletesWhenAnItemArrives()
    {
        using var queue = new SipInboundQueue<string>(4, 4);

        var next = queue.DequeueAsync(CancellationToken.None).AsTask();
        var completedWhileEmpty = next.IsCompleted;
        queue.TryEnqueueLow("options");
        var (item, priority) = await next.WaitAsync(Timeout);

        Assert.False(completedWhileEmpty);
        Assert.Equal("options", item);
        Assert.Equal(SipInboundPriority.Low, priority);
    }

    [Fact]
    public async Task DequeueAsync_Cancelled_Throws()
    {
        using var queue = new SipInboundQueue<string>(4, 4);
        using var cts = new CancellationTokenSource();

        var next = queue.DequeueAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public void TryDequeue_Empty_False()
    {
        using var queue = new SipInboundQueue<string>(4, 4);

        Assert.False(queue.TryDequeue(out _, out _));
    }

    [Fact]
    public void Constructor_ZeroCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipInboundQueue<string>(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipInboundQueue<string>(1, 0));
    }
}
