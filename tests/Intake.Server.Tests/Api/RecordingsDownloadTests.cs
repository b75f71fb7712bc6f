using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using Intake.Contracts.V1;
using Intake.Server.Api;
using Intake.Server.Storage;
using Intake.Server.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Server.Tests.Api;

public sealed class RecordingsDownloadTests
{
    [Fact]
    public async Task Download_StoredRecording_StreamsWholeFileIn64KiBChunks()
    {
        await using var host = await ApiTestHost.StartAsync();
        var path = Path.Combine(host.DataDirectory, "r1.wav");
        var content = new byte[(3 * RecordingsService.ChunkSize) + 1234];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(path, content);
        await host.Services.GetRequiredService<IRecordingStore>().SaveRecordingAsync(
            new RecordingInfo("r1", "c1", path, 12, (ulong)content.Length, "ab", TestEvents.Epoch));
        using var cts = TestTimeouts.Cancel();

        using var call = new Intake.Contracts.V1.Recordings.RecordingsClient(host.Channel).Download(new DownloadRequest { RecordingId = "r1" }, cancellationToken: cts.Token);
        var chunks = new List<Chunk>();
        while (await call.ResponseStream.MoveNext(cts.Token))
        {
            chunks.Add(call.ResponseStream.Current);
        }

        Assert.Equal([0UL, 65536UL, 131072UL, 196608UL], chunks.Select(c => c.Offset));
        Assert.All(chunks.Take(3), c => Assert.Equal(RecordingsService.ChunkSize, c.Data.Length));
        Assert.Equal(content, chunks.SelectMany(c => c.Data.ToByteArray()).ToArray());
    }

    [Fact]
    public async Task Download_UnknownRecording_NotFound()
    {
        await using var host = await ApiTestHost.StartAsync();
        using var cts = TestTimeouts.Cancel();
        using var call = new Intake.Contracts.V1.Recordings.RecordingsClient(host.Channel).Download(new DownloadRequest { RecordingId = "nope" }, cancellationToken: cts.Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Download_FileMissing_NotFound()
    {
        await using var host = await ApiTestHost.StartAsync();
        await host.Services.GetRequiredService<IRecordingStore>().SaveRecordingAsync(
            new RecordingInfo("r2", "c1", Path.Combine(host.DataDirectory, "gone.wav"), 1, 1, "ab", TestEvents.Epoch));
        using var cts = TestTimeouts.Cancel();
        using var call = new Intake.Contracts.V1.Recordings.RecordingsClient(host.Channel).Download(new DownloadRequest { RecordingId = "r2" }, cancellationToken: cts.Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Reflection_ListServices_IncludesIntakeServices()
    {
        await using var host = await ApiTestHost.StartAsync();
        using var cts = TestTimeouts.Cancel();
        using var call = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo(cancellationToken: cts.Token);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, cts.Token);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));

        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("intake.v1.CallFeed", names);
        Assert.Contains("intake.v1.Recordings", names);
    }
}
