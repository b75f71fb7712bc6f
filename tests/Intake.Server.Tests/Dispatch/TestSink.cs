using System.Net;
using Grpc.Core;
using Intake.Contracts.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Tests.Dispatch;

/// <summary>
/// A dispatch system's DispatchSink on a real Kestrel at 127.0.0.1: stores events de-duplicated by sequence, records
/// every Submit it saw, and answers UNAVAILABLE while <see cref="RefuseUntil"/> is in the future.
/// </summary>
internal sealed class TestSink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestSink(WebApplication app, SinkState state, int port)
    {
        _app = app;
        State = state;
        Port = port;
    }

    public SinkState State { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<TestSink> StartAsync(int port = 0, SinkState? state = null)
    {
        state ??= new SinkState();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<SinkService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestSink(app, state, new Uri(address).Port);
    }

    /// <summary>Waits (bounded) until the sink stored <paramref name="sequence"/>; false on timeout.</summary>
    public async Task<bool> WaitForStoredAsync(ulong sequence, TimeSpan timeout)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (State.Highest < sequence)
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    public sealed class SinkState
    {
        private readonly Lock _gate = new();
        private readonly List<ulong> _stored = [];
        private readonly List<ulong> _submitted = [];
        private ulong _highest;

        public long RefuseUntilTimestamp { get; set; }

        public int Refused { get; private set; }

        public int Gaps { get; private set; }

        public ulong Highest
        {
            get
            {
                lock (_gate)
                {
                    return _highest;
                }
            }
        }

        public List<ulong> Stored
        {
            get
            {
                lock (_gate)
                {
                    return [.. _stored];
                }
            }
        }

        public List<ulong> Submitted
        {
            get
            {
                lock (_gate)
                {
                    return [.. _submitted];
                }
            }
        }

        public void RefuseFor(TimeSpan duration) =>
            RefuseUntilTimestamp = TimeProvider.System.GetTimestamp() + (long)(duration.TotalSeconds * TimeProvider.System.TimestampFrequency);

        public ulong Accept(CallEvent evt)
        {
            lock (_gate)
            {
                if (TimeProvider.System.GetTimestamp() < RefuseUntilTimestamp)
                {
                    Refused++;
                    throw new RpcException(new Status(StatusCode.Unavailable, "sink refusing (test)"));
                }

                _submitted.Add(evt.Sequence);
                if (evt.Sequence == _highest + 1)
                {
                    _stored.Add(evt.Sequence);
                    _highest = evt.Sequence;
                }
                else if (evt.Sequence > _highest + 1)
                {
                    // A sequence beyond the next one means an event was skipped: the thing dispatch must never do.
                    Gaps++;
                }

                return _highest;
            }
        }
    }

    private sealed class SinkService : DispatchSink.DispatchSinkBase
    {
        private readonly SinkState _state;

        public SinkService(SinkState state)
        {
            _state = state;
        }

        public override Task<SubmitAck> Submit(CallEvent request, ServerCallContext context) =>
            Task.FromResult(new SubmitAck { AcknowledgedSequence = _state.Accept(request) });
    }
}
