using Intake.Server.Callers;

namespace Intake.Server.Tests.Callers;

public class CallerIdentityReaderTests
{
    [Fact]
    public void Read_PlainFrom_TakesNumberAndDisplayName()
    {
        var identity = CallerIdentityReader.Read(TestInvite.Create([]));

        Assert.Equal("+212600000001", identity.Number);
        Assert.Equal(CallerNumberSource.From, identity.NumberSource);
        Assert.Equal("Amina B", identity.DisplayName);
        Assert.Equal("sip:+212600000001@127.0.0.1", identity.FromUri);
        Assert.False(identity.IsAnonymous);
        Assert.Empty(identity.AssertedIdentities);
        Assert.Null(identity.AssertedNumber);
        Assert.Empty(identity.Privacy);
        Assert.False(identity.PrivacyRequested);
    }

    [Fact]
    public void Read_TelFromWithVisualSeparators_StripsThem()
    {
        var identity = CallerIdentityReader.Read(TestInvite.Create([], from: "<tel:+212-5-22.12(34)56>;tag=t1"));

        Assert.Equal("+2125221234" + "56", identity.Number);
        Assert.Equal(string.Empty, identity.DisplayName);
    }

    [Fact]
    public void Read_SipUserPhoneWithPhoneContext_KeepsOnlyTheNumber()
    {
        var identity = CallerIdentityReader.Read(TestInvite.Create([], from: "<sip:0522-123-456;phone-context=+212@127.0.0.1;user=phone>;tag=t2"));

        Assert.Equal("0522123456", identity.Number);
    }

    [Fact]
    public void Read_NonNumericUser_KeepsUserAsReceived()
    {
        var identity = CallerIdentityReader.Read(TestInvite.Create([], from: "\"Front desk\" <sip:front.desk@127.0.0.1>;tag=t3"));

        Assert.Equal("front.desk", identity.Number);
        Assert.Equal("Front desk", identity.DisplayName);
    }

    [Fact]
    public void Read_PrivacyIdWithAssertedIdentity_RecordsIdentityAndPrivacyRequest()
    {
        var request = TestInvite.Create(
            ["P-Asserted-Identity: \"Amina Benali\" <sip:+212600000001@ims.127.0.0.1;user=phone>", "Privacy: id"]);

        var identity = CallerIdentityReader.Read(request);

        Assert.Equal("+212600000001", identity.Number);
        Assert.Equal(["sip:+212600000001@ims.127.0.0.1;user=phone"], identity.AssertedIdentities);
        Assert.Equal("+212600000001", identity.AssertedNumber);
        Assert.Equal(["id"], identity.Privacy);
        Assert.True(identity.PrivacyRequested);
        Assert.True(identity.IdentityWithheld);
    }

    [Fact]
    public void Read_AnonymousFrom_FallsBackToAssertedIdentity()
    {
        var request = TestInvite.Create(
            ["P-Asserted-Identity: \"Youssef A\" <sip:+212661234567@ims.127.0.0.1;user=phone>", "Privacy: header;id;critical"],
            from: "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=x9");

        var identity = CallerIdentityReader.Read(request);

        Assert.True(identity.IsAnonymous);
        Assert.Equal("+212661234567", identity.Number);
        Assert.Equal(CallerNumberSource.AssertedIdentity, identity.NumberSource);
        Assert.Equal("Youssef A", identity.DisplayName);
        Assert.Equal(["header", "id", "critical"], identity.Privacy);
        Assert.True(identity.IdentityWithheld);
    }

    [Fact]
    public void Read_AnonymousFromWithoutAssertedIdentity_HasNoNumber()
    {
        var identity = CallerIdentityReader.Read(TestInvite.Create([], from: "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=x9"));

        Assert.Equal(string.Empty, identity.Number);
        Assert.Equal(CallerNumberSource.None, identity.NumberSource);
        Assert.Equal(string.Empty, identity.DisplayName);
    }

    [Fact]
    public void Read_SipAndTelAssertedIdentities_PrefersTelNumberAndKeepsBoth()
    {
        var request = TestInvite.Create(
            ["P-Asserted-Identity: <sip:caller-7@ims.127.0.0.1>, <tel:+212-661-234-567>"],
            from: "<sip:anonymous@anonymous.invalid>;tag=x1");

        var identity = CallerIdentityReader.Read(request);

        Assert.Equal("+212661234567", identity.AssertedNumber);
        Assert.Equal("+212661234567", identity.Number);
        Assert.Equal(["sip:caller-7@ims.127.0.0.1", "tel:+212-661-234-567"], identity.AssertedIdentities);
        Assert.Equal("sip:caller-7@ims.127.0.0.1, tel:+212-661-234-567", identity.AssertedIdentity);
    }

    [Fact]
    public void Read_AssertedIdentitiesOnSeparateLines_ReadsEach()
    {
        var request = TestInvite.Create(
            ["P-Asserted-Identity: <tel:+212522000111>", "P-Asserted-Identity: <sip:+212522000111@ims.127.0.0.1;user=phone>"]);

        var identity = CallerIdentityReader.Read(request);

        Assert.Equal(2, identity.AssertedIdentities.Count);
        Assert.Equal("+212522000111", identity.AssertedNumber);
    }

    [Fact]
    public void Read_PrivacyNoneAndOddValues_NormalisesAndDropsJunk()
    {
        var request = TestInvite.Create(["Privacy: None", "Privacy: USER, <script>;user"]);

        var identity = CallerIdentityReader.Read(request);

        Assert.Equal(["none", "user"], identity.Privacy);
        Assert.True(identity.PrivacyRequested);
        Assert.False(identity.IdentityWithheld);
    }

    [Fact]
    public void Read_GarbageAssertedIdentity_IsIgnored()
    {
        var request = TestInvite.Create(["P-Asserted-Identity: not a uri at all", "P-Asserted-Identity: <http://127.0.0.1/x>"]);

        var identity = CallerIdentityReader.Read(request);

        Assert.Empty(identity.AssertedIdentities);
        Assert.Null(identity.AssertedNumber);
    }

    [Theory]
    [InlineData("+1 (201) 555-0123", true, "+12015550123")]
    [InlineData("112", true, "112")]
    [InlineData("*31#0600", true, "*31#0600")]
    [InlineData("12+3", false, "")]
    [InlineData("---", false, "")]
    [InlineData("alice", false, "")]
    public void TryNormalize_Inputs_StripsSeparatorsOrRefuses(string text, bool expected, string number)
    {
        Assert.Equal(expected, PhoneNumber.TryNormalize(text, out var result));
        Assert.Equal(number, result);
    }
}
