using Intake.Media.Codecs;
using Intake.Media.Rtp;

namespace Intake.Media.Prompts;

/// <summary>
/// Plays a <see cref="PromptPlaylist"/> into a session's <see cref="RtpOutboundStream"/>,
/// one 20 ms packet per <see cref="MediaClock"/> frame (no timer of its own). While playing
/// it owns the stream, so sequence numbers and timestamps continue seamlessly from whatever
/// was sent before and into whatever is sent after; the first packet carries the marker bit.
/// Between prompts it sends encoded silence so the peer's NAT binding and timers stay alive.
/// Another owner taking the stream (the relay) stops the player.
/// </summary>
public sealed class PromptPlayer : IMediaClockClient, IDisposable
{
    private readonly Lock _gate = new();
    private readonly RtpOutboundStream _target;
    private readonly MediaClock _clock;
    private readonly byte[] _silence = new byte[G711.SamplesPerFrame];
    private PromptPlaylist? _playlist;
    private int _itemIndex;
    private int _frameIndex;
    private bool _inRepeat;
    private long _silenceFrames;
    private bool _playing;

    /// <summary>Creates a player for one leg.</summary>
    public PromptPlayer(RtpOutboundStream target, MediaClock clock)
    {
        _target = target;
        _clock = clock;
    }

    /// <summary>Whether a playlist is playing (repeat phases included).</summary>
    public bool IsPlaying
    {
        get
        {
            lock (_gate)
            {
                return _playing;
            }
        }
    }

    /// <summary>Packets sent by this player.</summary>
    public long FramesSent { get; private set; }

    /// <summary>Raised on the clock thread when a playlist without repeat has been played to the end.</summary>
    public event EventHandler? Completed;

    /// <summary>Starts <paramref name="playlist"/> from its beginning, taking over the stream.</summary>
    public void Play(PromptPlaylist playlist)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        lock (_gate)
        {
            _playlist = playlist;
            _itemIndex = 0;
            _frameIndex = 0;
            _inRepeat = playlist.Items.Count == 0;
            _silenceFrames = _inRepeat ? RepeatGapFrames(playlist) : 0;
            _playing = true;
            _target.SwitchOwner(this);
        }

        _clock.AddFrameClient(this);
    }

    /// <summary>Stops playing; the stream keeps its owner (silence) until someone else takes it.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _playing = false;
            _playlist = null;
        }

        _clock.RemoveFrameClient(this);
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    /// <inheritdoc />
    void IMediaClockClient.OnFrame(long frame, long timestamp)
    {
        var completed = false;
        lock (_gate)
        {
            if (!_playing || _playlist is null)
            {
                return;
            }

            if (!ReferenceEquals(_target.Owner, this))
            {
                _playing = false;
                _playlist = null;
            }
            else
            {
                completed = SendNextFrame(_playlist);
            }
        }

        if (!IsPlaying)
        {
            _clock.RemoveFrameClient(this);
        }

        if (completed)
        {
            Completed?.Invoke(this, EventArgs.Empty);
        }
    }

    private bool SendNextFrame(PromptPlaylist playlist)
    {
        if (_silenceFrames > 0)
        {
            _silenceFrames--;
            SendSilence();
            return false;
        }

        var prompt = _inRepeat ? playlist.Repeat! : playlist.Items[_itemIndex];
        if (_target.SendFrame(this, prompt.GetFrame(_target.Encoding, _frameIndex), G711.SamplesPerFrame))
        {
            FramesSent++;
        }

        if (++_frameIndex < prompt.FrameCount)
        {
            return false;
        }

        _frameIndex = 0;
        if (!_inRepeat && ++_itemIndex < playlist.Items.Count)
        {
            return false;
        }

        if (playlist.Repeat is null)
        {
            _playing = false;
            _playlist = null;
            return true;
        }

        _inRepeat = true;
        _silenceFrames = RepeatGapFrames(playlist);
        return false;
    }

    private void SendSilence()
    {
        Array.Fill(_silence, G711.SilenceByte(_target.Encoding));
        if (_target.SendFrame(this, _silence, G711.SamplesPerFrame))
        {
            FramesSent++;
        }
    }

    private static long RepeatGapFrames(PromptPlaylist playlist)
    {
        var periodFrames = playlist.RepeatPeriod.Ticks / MediaClock.FrameDuration.Ticks;
        return Math.Max(0, periodFrames - (playlist.Repeat?.FrameCount ?? 0));
    }
}
