namespace Intake.LoadGen.Tests;

public class AnnouncementTests
{
    [Fact]
    public void TryParse_ScenarioLogLine_ReturnsFields()
    {
        Assert.True(Announcement.TryParse("CALL 12 40022 8 30024", out var a));

        Assert.Equal(new Announcement(12, 40022, 8, 30024), a);
    }

    [Theory]
    [InlineData("")]
    [InlineData("registered op0001")]
    [InlineData("CALL 12 40022 8")]
    [InlineData("CALL 12 port 8 30024")]
    [InlineData("CALL 12 70000 8 30024")]
    [InlineData("CALL -1 40022 8 30024")]
    [InlineData("CALL 12 40022 200 30024")]
    public void TryParse_OtherLines_ReturnsFalse(string line)
    {
        Assert.False(Announcement.TryParse(line, out _));
    }
}
