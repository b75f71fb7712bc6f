using Intake.Contracts.V1;
using Intake.Server.Events;
using Intake.Server.Tests.Storage;

namespace Intake.Server.Tests.Events;

public sealed class CallProjectionTests
{
    [Fact]
    public void Apply_AbandonedThenEnded_StaysAbandonedForCallbackList()
    {
        var call = new Call { CallId = "c1" };

        CallProjection.Apply(call, TestEvents.Offered("c1", at: TestEvents.Epoch));
        CallProjection.Apply(call, TestEvents.Abandoned("c1", TestEvents.Epoch.AddSeconds(9)));
        CallProjection.Apply(call, TestEvents.Ended("c1", "abandoned", TestEvents.Epoch.AddSeconds(10)));

        Assert.Equal("abandoned", call.State);
        Assert.Equal("abandoned", call.Outcome);
        Assert.Equal(TestEvents.Epoch.AddSeconds(10), call.EndedAt.ToDateTimeOffset());
    }

    [Fact]
    public void Apply_InterruptedOutcome_StateInterrupted()
    {
        var call = new Call { CallId = "c1" };

        CallProjection.Apply(call, TestEvents.Offered("c1"));
        CallProjection.Apply(call, TestEvents.Ended("c1", "interrupted"));

        Assert.Equal("interrupted", call.State);
    }

    [Fact]
    public void Apply_FirstEventNotOffered_GetsArrivalTimeAndState()
    {
        var call = new Call { CallId = "c1" };

        CallProjection.Apply(call, TestEvents.Queued("c1", "fire", TestEvents.Epoch));

        Assert.Equal("queued", call.State);
        Assert.Equal("fire", call.Queue);
        Assert.Equal(TestEvents.Epoch, call.ArrivedAt.ToDateTimeOffset());
    }

    [Fact]
    public void KindNames_AreTheOneofFieldNames()
    {
        Assert.Equal("operator_state", CallEventKinds.NameOf(CallEvent.KindOneofCase.OperatorState));
        Assert.True(CallEventKinds.TryParse("ended", out var ended));
        Assert.Equal(CallEvent.KindOneofCase.Ended, ended);
        Assert.False(CallEventKinds.TryParse("Ended", out _));
        Assert.Equal(10, CallEventKinds.All.Count);
    }
}
