using System.Globalization;

namespace Intake.LoadGen;

/// <summary>
/// One call announced by the SIPp caller scenario once the server answered: a log line
/// "CALL index server-port payload-type our-port". Parsing never throws: anything else is not an announcement.
/// </summary>
internal readonly record struct Announcement(int CallIndex, int ServerPort, int PayloadType, int LocalPort)
{
    private const string Keyword = "CALL";

    public static bool TryParse(string line, out Announcement announcement)
    {
        announcement = default;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5 || parts[0] != Keyword)
        {
            return false;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var serverPort)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType)
            || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var localPort))
        {
            return false;
        }

        if (index > PacketTag.MaxCallIndex || serverPort is < 1 or > 65535 || localPort is < 1 or > 65535 || payloadType > 127)
        {
            return false;
        }

        announcement = new Announcement(index, serverPort, payloadType, localPort);
        return true;
    }
}
