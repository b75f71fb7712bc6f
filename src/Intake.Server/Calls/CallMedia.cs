using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Intake.Media.Rtp;
using Intake.Media.Sdp;
using Intake.Server.Configuration;

namespace Intake.Server.Calls;

/// <summary>The media side of calls: RTP ports and what we announce in SDP.</summary>
public sealed class CallMedia
{
    private readonly RtpPortPool _ports;

    public CallMedia(IntakeConfiguration config)
    {
        _ports = new RtpPortPool(config.Rtp.PortMin, config.Rtp.PortMax);
        MediaAddress = ChooseMediaAddress(config.Sip);
    }

    /// <summary>The address written in our SDP c= lines.</summary>
    public IPAddress MediaAddress { get; }

    public bool TryAllocatePort(out int rtpPort) => _ports.TryAcquire(out rtpPort);

    public void ReleasePort(int rtpPort) => _ports.Release(rtpPort);

    public SdpLocalMedia DescribeLocal(int rtpPort, ulong sessionId, ulong sessionVersion = 1) => new()
    {
        Address = MediaAddress,
        RtpPort = rtpPort,
        SessionId = sessionId,
        SessionVersion = sessionVersion,
    };

    public ValueTask OnAnsweredAsync(EmergencyCall call) => ValueTask.CompletedTask;

    public ValueTask OnMediaChangedAsync(EmergencyCall call) => ValueTask.CompletedTask;

    public ValueTask OnEndedAsync(EmergencyCall call)
    {
        _ports.Release(call.RtpPort);
        return ValueTask.CompletedTask;
    }

    private static IPAddress ChooseMediaAddress(SipOptions sip)
    {
        if (sip.AdvertisedAddress is { } advertised)
        {
            return IPAddress.Parse(advertised);
        }

        var bound = IPAddress.Parse(sip.BindAddress);
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            return bound;
        }

        // Bound to every interface and nothing advertised: the first address of an interface that is up.
        var family = bound.AddressFamily;
        var candidate = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == family && !a.IsIPv6LinkLocal);
        return candidate ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback);
    }
}
