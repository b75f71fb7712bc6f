using Google.Protobuf;
using Grpc.Core;
using Intake.Contracts.V1;
using Intake.Server.Storage;

namespace Intake.Server.Api;

/// <summary>Recordings.Download: the WAV file named by the recording's metadata, in chunks of 64 KiB.</summary>
public sealed class RecordingsService : Contracts.V1.Recordings.RecordingsBase
{
    public const int ChunkSize = 64 * 1024;

    private readonly IRecordingStore _recordings;

    public RecordingsService(IRecordingStore recordings)
    {
        _recordings = recordings;
    }

    public override async Task Download(DownloadRequest request, IServerStreamWriter<Chunk> responseStream, ServerCallContext context)
    {
        if (request.RecordingId.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "recording_id is required"));
        }

        var cancellationToken = context.CancellationToken;
        var recording = await _recordings.GetRecordingAsync(request.RecordingId, cancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no recording '{request.RecordingId}'"));

        FileStream file;
        try
        {
            // Delete sharing: the retention purge may remove the file while a download is running (it finishes on Unix).
            file = new FileStream(recording.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, ChunkSize, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"the file of recording '{request.RecordingId}' is missing"));
        }

        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[ChunkSize];
            ulong offset = 0;
            while (true)
            {
                var read = await file.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await responseStream.WriteAsync(new Chunk { Offset = offset, Data = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken).ConfigureAwait(false);
                offset += (ulong)read;
            }
        }
    }
}
