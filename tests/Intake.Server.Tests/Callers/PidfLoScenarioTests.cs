using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Intake.Server.Callers;
using Intake.Sip.Messages;

namespace Intake.Server.Tests.Callers;

/// <summary>
/// Renders the INVITE of Scenarios/uac_pidf_lo.xml the way SIPp does (keywords replaced, lines left-trimmed and
/// CRLF-ended, [len] over the whole body) so the scenario and the parser cannot drift apart.
/// </summary>
public class PidfLoScenarioTests
{
    private static readonly Dictionary<string, string> Keywords = new()
    {
        ["service"] = "19", ["remote_ip"] = "127.0.0.1", ["remote_port"] = "5060", ["transport"] = "UDP",
        ["local_ip"] = "127.0.0.1", ["local_port"] = "5070", ["branch"] = "z9hG4bK-1-1-0", ["call_number"] = "1",
        ["pid"] = "4242", ["call_id"] = "1-4242@127.0.0.1", ["local_ip_type"] = "4", ["media_ip_type"] = "4",
        ["media_ip"] = "127.0.0.1", ["media_port"] = "6000",
    };

    [Fact]
    public void Read_UacPidfLoScenarioInvite_YieldsIdentityAndLocation()
    {
        var request = RenderInvite();

        var metadata = CallerMetadata.Read(request);

        Assert.Equal("+212600001", metadata.Identity.Number);
        Assert.Equal(["sip:+212600001@127.0.0.1;user=phone"], metadata.Identity.AssertedIdentities);
        Assert.Equal(["id"], metadata.Identity.Privacy);
        var location = metadata.Location.Location!;
        Assert.Equal(LocationResult.ByValue, location.Conveyance);
        Assert.Equal("cid:caller-loc@127.0.0.1", location.ReferenceUri);
        Assert.Equal(33.5731, location.Latitude, 6);
        Assert.Equal(-7.5898, location.Longitude, 6);
        Assert.Equal("MA", location.Civic["country"]);
        Assert.Equal("GPS", location.Method);
        Assert.False(metadata.Location.RoutingAllowed);
    }

    private static SipRequest RenderInvite()
    {
        var scenario = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "Scenarios", "uac_pidf_lo.xml"));
        var template = scenario.Root!.Element("send")!.Value;
        var lines = Regex.Replace(template, @"\[(\w+)\]", m => Keywords.GetValueOrDefault(m.Groups[1].Value, m.Value))
            .Split('\n')
            .Select(line => line.Trim())
            .SkipWhile(line => line.Length == 0)
            .Reverse().SkipWhile(line => line.Length == 0).Reverse()
            .ToList();
        var blank = lines.IndexOf(string.Empty);
        var body = string.Concat(lines.Skip(blank + 1).Select(line => line + "\r\n"));
        var head = string.Concat(lines.Take(blank).Select(line => line + "\r\n"))
            .Replace("[len]", Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var result = SipParser.Parse(Encoding.UTF8.GetBytes(head + "\r\n" + body));
        Assert.True(result.Success, result.Error);
        return Assert.IsType<SipRequest>(result.Message);
    }
}
