using Intake.Contracts.V1;
using Intake.Server.Callers;

namespace Intake.Server.Tests.Callers;

public class CallerMetadataTests
{
    [Fact]
    public void ApplyTo_EmergencyInviteWithPrivacyAndLocation_FillsOfferedEvent()
    {
        var request = TestInvite.WithPidfLo(
            PidfLoSamples.Document(PidfLoSamples.PointCasablanca + PidfLoSamples.CivicCasablanca),
            headers:
            [
                "Geolocation: <cid:caller-loc@127.0.0.1>",
                "P-Asserted-Identity: \"Amina Benali\" <sip:+212600000001@ims.127.0.0.1;user=phone>, <tel:+212600000001>",
                "Privacy: id",
            ]);
        var offered = new CallOffered { DialledNumber = "19", Queue = "police" };

        CallerMetadata.Read(request).ApplyTo(offered);

        Assert.Equal("+212600000001", offered.CallerNumber);
        Assert.Equal("Amina B", offered.CallerDisplayName);
        Assert.Equal("sip:+212600000001@ims.127.0.0.1;user=phone, tel:+212600000001", offered.AssertedIdentity);
        Assert.Equal(["id"], offered.Privacy);
        Assert.Equal(33.5731, offered.Location.Latitude, 6);
        Assert.Equal("MA", offered.Location.Civic["country"]);
        Assert.Equal("19", offered.DialledNumber);
        Assert.Equal("police", offered.Queue);
    }

    [Fact]
    public void ApplyTo_NoLocation_LeavesLocationUnset()
    {
        var offered = new CallOffered();

        CallerMetadata.Read(TestInvite.Create([])).ApplyTo(offered);

        Assert.Null(offered.Location);
        Assert.Equal("+212600000001", offered.CallerNumber);
        Assert.Empty(offered.Privacy);
    }
}
