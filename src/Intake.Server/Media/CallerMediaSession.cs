using Intake.Media.Prompts;
using Intake.Media.Recording;
using Intake.Media.Rtp;
using Intake.Media.Sdp;

namespace Intake.Server.Media;

/// <summary>
/// The caller leg's media for one call: its RTP session, the stereo recording and the announcements the caller hears
/// while waiting. A bridge to an operator takes <see cref="Session"/> into an <c>RtpRelay</c> after <see cref="StopPrompts"/>;
/// the recorder stays attached to the caller leg, so it keeps recording both directions through the relay.
/// </summary>
public sealed class CallerMediaSession : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private CallRecorder? _recorder;
    private PromptPlayer? _player;
    private bool _started;
    private bool _answered;
    private bool _ended;

    public CallerMediaSession(RtpSession session, MediaClock clock)
    {
        Session = session;
        Clock = clock;
    }

    /// <summary>The RTP session towards the caller (trunk side).</summary>
    public RtpSession Session { get; }

    public MediaClock Clock { get; }

    public int LocalPort => Session.LocalPort;

    /// <summary>The recording, from the answer until the end of the call; null before the answer.</summary>
    public CallRecorder? Recorder
    {
        get
        {
            lock (_gate)
            {
                return _recorder;
            }
        }
    }

    /// <summary>The announcements on the caller leg; null before the answer or when no prompt is configured.</summary>
    public PromptPlayer? Player
    {
        get
        {
            lock (_gate)
            {
                return _player;
            }
        }
    }

    public bool IsEnded
    {
        get
        {
            lock (_gate)
            {
                return _ended;
            }
        }
    }

    /// <summary>Takes the negotiated audio: peer address, codec, telephone-event type and hold state.</summary>
    public void Apply(NegotiatedAudio audio) => Session.Apply(audio);

    /// <summary>Starts the receive loops and supervision once; false when the call has already ended.</summary>
    public bool Start()
    {
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            if (!_started)
            {
                _started = true;
                Session.Start();
            }

            return true;
        }
    }

    /// <summary>
    /// The answer: records the caller leg from now on and plays <paramref name="playlist"/> to the caller. The recorder
    /// is created here, so a call that ended meanwhile leaves no file behind; a null recorder (the disk refused the file)
    /// still lets the call go on with its announcements. False when the call has already ended or was answered before.
    /// </summary>
    public bool BeginAnswered(Func<CallRecorder?> startRecorder, PromptPlaylist? playlist)
    {
        lock (_gate)
        {
            if (_ended || _answered)
            {
                return false;
            }

            _answered = true;
            _recorder = startRecorder();
            _recorder?.AttachTo(Session);
            if (playlist is not null)
            {
                _player = new PromptPlayer(Session.Outbound, Clock);
                _player.Play(playlist);
            }

            return true;
        }
    }

    /// <summary>Silences the announcements, e.g. before the relay takes the caller's outbound stream.</summary>
    public void StopPrompts()
    {
        PromptPlayer? player;
        lock (_gate)
        {
            player = _player;
        }

        player?.Stop();
    }

    /// <summary>
    /// Tears down in the documented order: prompts, recorder (completed, file final), quality snapshot, session.
    /// Only the first call does the work; later calls return nulls.
    /// </summary>
    public async Task<(RecordingResult? Recording, RtpQualitySnapshot? Quality)> EndAsync(CancellationToken cancellationToken = default)
    {
        CallRecorder? recorder;
        PromptPlayer? player;
        lock (_gate)
        {
            if (_ended)
            {
                return (null, null);
            }

            _ended = true;
            recorder = _recorder;
            player = _player;
        }

        player?.Dispose();
        RecordingResult? recording = null;
        RtpQualitySnapshot quality;
        try
        {
            if (recorder is not null)
            {
                recorder.DetachFrom(Session);
                recording = await recorder.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // The snapshot is taken before disposal, which sends RTCP BYE and gives the port back.
            quality = Session.GetQualitySnapshot();
            await Session.DisposeAsync().ConfigureAwait(false);
        }

        return (recording, quality);
    }

    public async ValueTask DisposeAsync() => await EndAsync().ConfigureAwait(false);
}
