using Intake.Media.Codecs;
using Intake.Media.Prompts;
using Intake.Media.Rtp;

namespace Intake.Media.Relay;

/// <summary>
/// Forwards RTP between the caller leg and the operator leg, each way on the receiving
/// session's loop: the packet is rewritten onto the other leg's outbound stream (its SSRC,
/// continuous sequence/timestamp), transcoded PCMU⇄PCMA if the legs differ, and RFC 4733
/// events are passed with the payload type of the other leg (dropped if that leg has none).
/// Each leg's sound can be switched between the relay and a <see cref="PromptPlayer"/> (hold).
/// Recording is separate: attach a <see cref="Recording.CallRecorder"/> to the caller leg.
/// </summary>
public sealed class RtpRelay : IDisposable
{
    private readonly RtpSession _caller;
    private readonly RtpSession _operator;
    private readonly object _toCaller = new();
    private readonly object _toOperator = new();
    private readonly RtpPacketHandler _fromCaller;
    private readonly RtpPacketHandler _fromOperator;
    private PromptPlayer? _callerPlayer;
    private PromptPlayer? _operatorPlayer;
    private long _forwardedToCaller;
    private long _forwardedToOperator;
    private long _eventsDropped;

    /// <summary>Binds the two legs and starts relaying both ways.</summary>
    public RtpRelay(RtpSession caller, RtpSession @operator)
    {
        _caller = caller;
        _operator = @operator;
        _fromCaller = (RtpSession _, in RtpHeader header, ReadOnlySpan<byte> payload) => Forward(header, payload, _caller, _operator.Outbound, _toOperator, ref _forwardedToOperator);
        _fromOperator = (RtpSession _, in RtpHeader header, ReadOnlySpan<byte> payload) => Forward(header, payload, _operator, _caller.Outbound, _toCaller, ref _forwardedToCaller);
        caller.PacketReceived = _fromCaller;
        @operator.PacketReceived = _fromOperator;
        UseRelay(RelayLeg.Caller);
        UseRelay(RelayLeg.Operator);
    }

    /// <summary>Packets delivered to the caller from the operator.</summary>
    public long ForwardedToCaller => Interlocked.Read(ref _forwardedToCaller);

    /// <summary>Packets delivered to the operator from the caller.</summary>
    public long ForwardedToOperator => Interlocked.Read(ref _forwardedToOperator);

    /// <summary>telephone-event packets dropped because the other leg did not negotiate it.</summary>
    public long EventsDropped => Interlocked.Read(ref _eventsDropped);

    /// <summary>Makes <paramref name="leg"/> hear the other leg again (resume after hold); stops its player.</summary>
    public void UseRelay(RelayLeg leg)
    {
        var player = leg == RelayLeg.Caller ? Interlocked.Exchange(ref _callerPlayer, null) : Interlocked.Exchange(ref _operatorPlayer, null);
        player?.Stop();
        Session(leg).Outbound.SwitchOwner(leg == RelayLeg.Caller ? _toCaller : _toOperator);
    }

    /// <summary>
    /// Makes <paramref name="leg"/> hear <paramref name="playlist"/> instead of the other leg
    /// (hold reminder). The player must target that leg's <see cref="RtpSession.Outbound"/>.
    /// </summary>
    public void UsePlayer(RelayLeg leg, PromptPlayer player, PromptPlaylist playlist)
    {
        ArgumentNullException.ThrowIfNull(player);
        var previous = leg == RelayLeg.Caller ? Interlocked.Exchange(ref _callerPlayer, player) : Interlocked.Exchange(ref _operatorPlayer, player);
        if (previous is not null && !ReferenceEquals(previous, player))
        {
            previous.Stop();
        }

        player.Play(playlist);
    }

    /// <summary>Unhooks the legs (they keep running; dispose them separately).</summary>
    public void Dispose()
    {
        if (ReferenceEquals(_caller.PacketReceived, _fromCaller))
        {
            _caller.PacketReceived = null;
        }

        if (ReferenceEquals(_operator.PacketReceived, _fromOperator))
        {
            _operator.PacketReceived = null;
        }

        Interlocked.Exchange(ref _callerPlayer, null)?.Stop();
        Interlocked.Exchange(ref _operatorPlayer, null)?.Stop();
    }

    private RtpSession Session(RelayLeg leg) => leg == RelayLeg.Caller ? _caller : _operator;

    private void Forward(in RtpHeader header, ReadOnlySpan<byte> payload, RtpSession source, RtpOutboundStream destination, object owner, ref long counter)
    {
        bool sent;
        if (header.PayloadType == (byte)AudioEncoding.Pcmu || header.PayloadType == (byte)AudioEncoding.Pcma)
        {
            var from = (AudioEncoding)header.PayloadType;
            var transform = from == destination.Encoding
                ? PayloadTransform.Copy
                : from == AudioEncoding.Pcmu ? PayloadTransform.PcmuToPcma : PayloadTransform.PcmaToPcmu;
            sent = destination.SendRelayed(owner, header, payload, destination.PayloadType, transform, isAudio: true);
        }
        else if (header.PayloadType == source.TelephoneEventPayloadType && destination.TelephoneEventPayloadType is { } eventType)
        {
            sent = destination.SendRelayed(owner, header, payload, eventType, PayloadTransform.Copy, isAudio: false);
        }
        else
        {
            Interlocked.Increment(ref _eventsDropped);
            return;
        }

        if (sent)
        {
            Interlocked.Increment(ref counter);
        }
    }
}
