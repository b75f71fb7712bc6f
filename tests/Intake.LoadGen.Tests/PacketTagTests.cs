namespace Intake.LoadGen.Tests;

public class PacketTagTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(999, 2_999)]
    [InlineData(PacketTag.MaxCallIndex, PacketTag.MaxCounter)]
    internal void WriteTo_ThenTryRead_ReturnsSameTag(int callIndex, int counter)
    {
        var payload = new byte[160];
        new PacketTag(callIndex, counter).WriteTo(payload);

        Assert.True(PacketTag.TryRead(payload, out var tag));
        Assert.Equal(new PacketTag(callIndex, counter), tag);
    }

    [Fact]
    public void TryRead_PayloadWithoutMarker_ReturnsFalse()
    {
        var silence = Enumerable.Repeat((byte)0xD5, 160).ToArray();

        Assert.False(PacketTag.TryRead(silence, out _));
    }

    [Fact]
    public void TryRead_PayloadShorterThanTag_ReturnsFalse()
    {
        var payload = new byte[160];
        new PacketTag(3, 4).WriteTo(payload);

        Assert.False(PacketTag.TryRead(payload.AsSpan(0, PacketTag.Size - 1), out _));
    }

    [Fact]
    public void WriteTo_CounterOutOfRange_Throws()
    {
        var payload = new byte[160];

        Assert.Throws<InvalidOperationException>(() => new PacketTag(1, PacketTag.MaxCounter + 1).WriteTo(payload));
    }
}
