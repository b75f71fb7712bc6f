using System.Security.Cryptography;
using System.Threading.Channels;
using Intake.Media.Codecs;
using Intake.Media.Rtp;
using NAudio.Wave;

namespace Intake.Media.Recording;

/// <summary>
/// Records one call as 8 kHz 16-bit stereo WAV: left = caller, right = what the caller hears.
/// The packet path only copies the payload into a bounded queue (a full queue drops and
/// counts, never blocks); a writer task decodes, places samples by RTP timestamp, and
/// writes. Every <see cref="CallRecorderOptions.FlushInterval"/> the file is flushed with
/// its RIFF/data sizes updated, so a crash loses at most that interval plus the latency;
/// <see cref="WavRepair"/> fixes the header of a file left open.
/// </summary>
public sealed class CallRecorder : IRtpMediaTap, IAsyncDisposable
{
    private const int Channels = 2;
    private const int BytesPerFrame = Channels * 2;
    private const int MaxPayload = 1024;

    private readonly Channel<RecordingItem> _queue;
    private readonly TimeProvider _timeProvider;
    private readonly CallRecorderOptions _options;
    private readonly long _start;
    private readonly FileStream _file;
    private readonly WaveFileWriter _writer;
    private readonly StreamTimeline[] _timelines;
    private readonly short[] _ring;
    private readonly int _ringFrames;
    private readonly short[] _decoded = new short[MaxPayload];
    private readonly byte[] _outBuffer;
    private readonly long _latencySamples;
    private readonly ITimer _drainTimer;
    private readonly SemaphoreSlim _drainSignal = new(0);
    private readonly int _ticksPerFlush;
    private readonly Task _writerTask;
    private int _ticks;
    private long _frontier;
    private long _highest;
    private long _dropped;
    private long _late;
    private int _completed;

    private CallRecorder(string path, TimeProvider timeProvider, CallRecorderOptions options)
    {
        FilePath = path;
        _timeProvider = timeProvider;
        _options = options;
        _start = timeProvider.GetTimestamp();
        _latencySamples = ToSamples(options.Latency);
        var jump = ToSamples(options.JumpThreshold);
        _timelines = [new StreamTimeline(jump), new StreamTimeline(jump)];

        // The ring holds what is not yet written: audio is written at every drain (not only at flushes), so it needs the
        // latency, two drain intervals of slack, and room for a packet placed up to the jump threshold ahead. At 1,000
        // calls its size is most of a call's memory.
        _ringFrames = (int)(_latencySamples + (2 * ToSamples(options.DrainInterval)) + jump + (G711.ClockRate / 10));
        _ring = new short[_ringFrames * Channels];
        _outBuffer = new byte[G711.ClockRate * BytesPerFrame / 20];
        // A drain writes about DrainInterval of stereo audio (6.4 KB per 200 ms) in 1.6 KB pieces; per-call buffers are
        // what 1,000 calls' memory is made of, so they stay small.
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 4 * 1024);
        _writer = new WaveFileWriter(_file, new WaveFormat(G711.ClockRate, 16, Channels));
        _writer.Flush();
        _queue = Channel.CreateBounded<RecordingItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _ticksPerFlush = (int)Math.Max(1, options.FlushInterval.Ticks / options.DrainInterval.Ticks);
        _writerTask = WriteLoopAsync();
        _drainTimer = timeProvider.CreateTimer(static s => ((CallRecorder)s!).OnDrainTick(), this, options.DrainInterval, options.DrainInterval);
    }

    /// <summary>Path of the WAV being written.</summary>
    public string FilePath { get; }

    /// <summary>Packets dropped because the queue was full.</summary>
    public long DroppedPackets => Interlocked.Read(ref _dropped);

    /// <summary>Sample frames written to the file so far (advances on each flush).</summary>
    public long WrittenFrames => Interlocked.Read(ref _frontier);

    /// <summary>Packets that came after their place in the file had been written.</summary>
    public long LatePackets => Interlocked.Read(ref _late);

    /// <summary>
    /// Starts a recording in <paramref name="directory"/> named "<paramref name="recordingId"/>.wav"
    /// (call it when the call is answered). The directory is created if needed.
    /// </summary>
    public static CallRecorder Start(string directory, string recordingId, TimeProvider timeProvider, CallRecorderOptions? options = null)
    {
        if (recordingId.Length == 0 || recordingId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || recordingId.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Recording id '{recordingId}' is not a valid file name.", nameof(recordingId));
        }

        Directory.CreateDirectory(directory);
        return new CallRecorder(Path.Combine(Path.GetFullPath(directory), recordingId + ".wav"), timeProvider, options ?? new CallRecorderOptions());
    }

    /// <summary>Records the caller leg: its received audio goes left, its sent audio right.</summary>
    public void AttachTo(RtpSession callerLeg)
    {
        callerLeg.Tap = this;
        callerLeg.Outbound.Tap = this;
    }

    /// <summary>Stops receiving audio from the leg (call before <see cref="CompleteAsync"/>).</summary>
    public void DetachFrom(RtpSession callerLeg)
    {
        if (ReferenceEquals(callerLeg.Tap, this))
        {
            callerLeg.Tap = null;
        }

        if (ReferenceEquals(callerLeg.Outbound.Tap, this))
        {
            callerLeg.Outbound.Tap = null;
        }
    }

    /// <inheritdoc />
    public void OnReceived(uint ssrc, uint timestamp, AudioEncoding encoding, ReadOnlySpan<byte> payload, long arrivalTimestamp) =>
        Write(RecordingChannel.Caller, ssrc, timestamp, encoding, payload, arrivalTimestamp);

    /// <inheritdoc />
    public void OnSent(uint ssrc, uint timestamp, AudioEncoding encoding, ReadOnlySpan<byte> payload, long sendTimestamp) =>
        Write(RecordingChannel.CallerHears, ssrc, timestamp, encoding, payload, sendTimestamp);

    /// <summary>
    /// Queues one G.711 payload for a channel. <paramref name="arrivalTimestamp"/> is a
    /// <see cref="TimeProvider.GetTimestamp"/> value. Never blocks; a full queue drops the packet.
    /// </summary>
    public void Write(RecordingChannel channel, uint ssrc, uint timestamp, AudioEncoding encoding, ReadOnlySpan<byte> payload, long arrivalTimestamp)
    {
        if (payload.IsEmpty || payload.Length > MaxPayload || Volatile.Read(ref _completed) != 0)
        {
            return;
        }

        // Packets longer than 20 ms travel as several chunks; G.711 has one byte per
        // sample, so a chunk's timestamp is the packet's plus its offset.
        var item = default(RecordingItem);
        item.Channel = channel;
        item.Ssrc = ssrc;
        item.Encoding = encoding;
        item.Arrival = arrivalTimestamp;
        for (var offset = 0; offset < payload.Length; offset += PayloadBuffer.Size)
        {
            var chunk = payload.Slice(offset, Math.Min(PayloadBuffer.Size, payload.Length - offset));
            item.Timestamp = timestamp + (uint)offset;
            item.Length = chunk.Length;
            chunk.CopyTo(item.Payload);
            if (!_queue.Writer.TryWrite(item))
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
        }
    }

    /// <summary>
    /// Stops accepting audio, writes what is buffered (up to now), closes the file and returns
    /// its duration, size and SHA-256.
    /// </summary>
    public async Task<RecordingResult> CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            await _drainTimer.DisposeAsync().ConfigureAwait(false);
            _queue.Writer.TryComplete();
            _drainSignal.Release();
        }

        await _writerTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        var info = new FileInfo(FilePath);
        string sha;
        var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        var dataBytes = Math.Max(0, info.Length - WavRepair.DataOffset(FilePath));
        return new RecordingResult(
            FilePath,
            TimeSpan.FromSeconds(dataBytes / (double)(BytesPerFrame * G711.ClockRate)),
            info.Length,
            sha,
            DroppedPackets,
            LatePackets);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _completed) == 0)
        {
            await CompleteAsync().ConfigureAwait(false);
        }
    }

    private static long ToSamples(TimeSpan span) => span.Ticks * G711.ClockRate / TimeSpan.TicksPerSecond;

    private long NowPosition(long timestamp) => ToSamples(_timeProvider.GetElapsedTime(_start, timestamp));

    private void OnDrainTick()
    {
        if (++_ticks % _ticksPerFlush == 0)
        {
            _queue.Writer.TryWrite(new RecordingItem { Arrival = _timeProvider.GetTimestamp() });
        }

        // The writer wakes on this tick, not on every packet: one wake-up per interval per call
        // instead of one cross-thread signal per packet on the forwarding path.
        if (_drainSignal.CurrentCount == 0)
        {
            _drainSignal.Release();
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (true)
            {
                await _drainSignal.WaitAsync().ConfigureAwait(false);
                while (reader.TryRead(out var item))
                {
                    if (item.IsFlush)
                    {
                        WriteUpTo(NowPosition(item.Arrival) - _latencySamples);
                        FlushFile();
                    }
                    else
                    {
                        Place(item);
                    }
                }

                if (reader.Completion.IsCompleted)
                {
                    break;
                }

                // Write what is older than the latency at every drain, so the ring only spans a drain interval or two.
                WriteUpTo(NowPosition(_timeProvider.GetTimestamp()) - _latencySamples);
            }

            WriteUpTo(Math.Max(_highest, NowPosition(_timeProvider.GetTimestamp())));
            FlushFile();
        }
        finally
        {
            // The signal is not disposed: a drain tick may still be running, and a
            // SemaphoreSlim without a wait handle holds nothing to release.
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Place(in RecordingItem item)
    {
        var channel = (int)item.Channel;
        var position = _timelines[channel].Position(item.Ssrc, item.Timestamp, NowPosition(item.Arrival));
        var length = item.Length;
        if (position + length <= _frontier)
        {
            Interlocked.Increment(ref _late);
            return;
        }

        // Audio beyond the ring forces older audio out (only when flush ticks lag behind).
        if (position + length - _frontier > _ringFrames)
        {
            WriteUpTo(position + length - _ringFrames);
        }

        G711.Decode(item.Encoding, ((ReadOnlySpan<byte>)item.Payload)[..length], _decoded);
        for (var i = 0; i < length; i++)
        {
            var p = position + i;
            if (p < _frontier)
            {
                continue;
            }

            _ring[((int)(p % _ringFrames) * Channels) + channel] = _decoded[i];
        }

        _highest = Math.Max(_highest, position + length);
    }

    private void WriteUpTo(long position)
    {
        while (_frontier < position)
        {
            var frames = (int)Math.Min(position - _frontier, _outBuffer.Length / BytesPerFrame);
            var span = _outBuffer.AsSpan(0, frames * BytesPerFrame);
            for (var f = 0; f < frames; f++)
            {
                var slot = (int)((_frontier + f) % _ringFrames) * Channels;
                var left = _ring[slot];
                var right = _ring[slot + 1];
                _ring[slot] = 0;
                _ring[slot + 1] = 0;
                var o = f * BytesPerFrame;
                span[o] = (byte)left;
                span[o + 1] = (byte)(left >> 8);
                span[o + 2] = (byte)right;
                span[o + 3] = (byte)(right >> 8);
            }

            _writer.Write(_outBuffer, 0, span.Length);
            Interlocked.Add(ref _frontier, frames);
        }
    }

    private void FlushFile()
    {
        // WaveFileWriter.Flush rewrites the RIFF and data sizes; the FileStream flush hands the
        // bytes to the OS, which keeps them if the process is killed.
        _writer.Flush();
        _file.Flush(flushToDisk: false);
    }
}
