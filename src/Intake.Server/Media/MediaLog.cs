using Microsoft.Extensions.Logging;

namespace Intake.Server.Media;

/// <summary>Log lines of the call media path (event ids 200-229), source-generated like the server's own.</summary>
internal static partial class MediaLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Call {CallId} media: RTP port {LocalPort}, peer {Peer}, {Codec}/{PayloadType}, peer direction {Direction}")]
    public static partial void MediaApplied(ILogger logger, string callId, int localPort, string peer, string codec, byte payloadType, string direction);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Call {CallId} recording to {Path}")]
    public static partial void RecordingStarted(ILogger logger, string callId, string path);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information,
        Message = "Call {CallId} recording {Path}: {DurationMilliseconds} ms, {SizeBytes} bytes, sha256 {Sha256}, {DroppedPackets} dropped, {LatePackets} late")]
    public static partial void RecordingCompleted(ILogger logger, string callId, string path, long durationMilliseconds, long sizeBytes, string sha256, long droppedPackets, long latePackets);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information,
        Message = "Call {CallId} caller RTP: {PacketsReceived} received, {PacketsSent} sent, {PacketsLost} lost ({LossPercent:F1} %), jitter {JitterMilliseconds:F1} ms")]
    public static partial void Quality(ILogger logger, string callId, long packetsReceived, long packetsSent, long packetsLost, double lossPercent, double jitterMilliseconds);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Call {CallId}: no RTP from the caller for {Seconds} s")]
    public static partial void MediaTimeout(ILogger logger, string callId, int seconds);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Call {CallId} DTMF {Digit} (event {Event}, volume -{Volume} dBm0)")]
    public static partial void Dtmf(ILogger logger, string callId, char digit, byte @event, byte volume);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Recording {Path} checked at start-up: repaired, {DataBytes} audio bytes kept")]
    public static partial void RecordingRepaired(ILogger logger, string path, long dataBytes);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Recording {Path} checked at start-up: intact, {DataBytes} audio bytes")]
    public static partial void RecordingIntact(ILogger logger, string path, long dataBytes);

    [LoggerMessage(EventId = 208, Level = LogLevel.Error, Message = "Recording {Path} checked at start-up: cannot be repaired: {Error}")]
    public static partial void RecordingUnrepairable(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "Queue {Queue}: prompt {Prompt} unavailable: {Error}")]
    public static partial void PromptMissing(ILogger logger, string queue, string prompt, string error);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Call {CallId}: media address {Host} could not be resolved")]
    public static partial void UnresolvedPeer(ILogger logger, string callId, string host);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Media: prompts from {PromptDirectory}, recordings in {RecordingsDirectory}, RTP ports {PortMin}-{PortMax} on {BindAddress}")]
    public static partial void Ready(ILogger logger, string promptDirectory, string recordingsDirectory, int portMin, int portMax, string bindAddress);

    [LoggerMessage(EventId = 212, Level = LogLevel.Error, Message = "Call {CallId}: media {What} failed")]
    public static partial void StepFailed(ILogger logger, string callId, string what, Exception exception);
}
