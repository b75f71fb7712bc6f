using Intake.Sip.Registrar;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Sip.Tests.Registrar;

public sealed class BindingKeepAliveTests : IDisposable
{
    private readonly RegistrarFixture _fixture = new();
    private readonly ScriptedSender _sender = new();
    private readonly BindingKeepAlive _keepAlive;

    public BindingKeepAliveTests()
    {
        _keepAlive = new BindingKeepAlive(
            _fixture.Locations, _sender, new BindingKeepAliveOptions { FailureThreshold = 3 }, _fixture.Time,
            NullLogger<BindingKeepAlive>.Instance);
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task ProbeAllAsync_ThreeFailures_MarkedUnreachableOnce()
    {
        var changes = new List<RegistrationBinding>();
        _fixture.Locations.BindingReachabilityChanged += (_, e) => changes.Add(e.Binding);
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 3600);
        _sender.Alive = false;

        await _keepAlive.ProbeAllAsync(CancellationToken.None);
        await _keepAlive.ProbeAllAsync(CancellationToken.None);
        Assert.True(Binding().IsReachable);
        await _keepAlive.ProbeAllAsync(CancellationToken.None);
        await _keepAlive.ProbeAllAsync(CancellationToken.None);

        Assert.False(Binding().IsReachable);
        Assert.False(Assert.Single(changes).IsReachable);
        Assert.Equal(4, _sender.Probes);
    }

    [Fact]
    public async Task ProbeAllAsync_AnswerAfterUnreachable_ReachableAgain()
    {
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 3600);
        _sender.Alive = false;
        for (var i = 0; i < 3; i++)
        {
            await _keepAlive.ProbeAllAsync(CancellationToken.None);
        }

        _sender.Alive = true;
        await _keepAlive.ProbeAllAsync(CancellationToken.None);

        Assert.True(Binding().IsReachable);
    }

    [Fact]
    public async Task ProbeAllAsync_IntermittentFailures_CounterResetsOnSuccess()
    {
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 3600);
        foreach (var alive in new[] { false, false, true, false, false })
        {
            _sender.Alive = alive;
            await _keepAlive.ProbeAllAsync(CancellationToken.None);
        }

        Assert.True(Binding().IsReachable);
    }

    [Fact]
    public async Task ProbeAllAsync_SenderThrows_CountsAsFailure()
    {
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 3600);
        _sender.Throw = true;

        for (var i = 0; i < 3; i++)
        {
            await _keepAlive.ProbeAllAsync(CancellationToken.None);
        }

        Assert.False(Binding().IsReachable);
    }

    [Fact]
    public async Task RunAsync_IntervalElapses_ProbesOnTimerUntilCancelled()
    {
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 3600);
        using var cancellation = new CancellationTokenSource();
        var run = _keepAlive.RunAsync(cancellation.Token);

        for (var i = 0; i < 3; i++)
        {
            _fixture.Time.Advance(TimeSpan.FromSeconds(30));
            await _sender.WaitForProbesAsync(i + 1);
        }

        await cancellation.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, _sender.Probes);
    }

    private RegistrationBinding Binding() => Assert.Single(_fixture.Registrar.GetContacts("1001"));

    private sealed class ScriptedSender : IBindingKeepAliveSender
    {
        private readonly SemaphoreSlim _probed = new(0);
        private int _probes;

        public bool Alive { get; set; } = true;

        public bool Throw { get; set; }

        public int Probes => Volatile.Read(ref _probes);

        public ValueTask<bool> SendOptionsAsync(RegistrationBinding binding, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _probes);
            _probed.Release();
            return Throw ? throw new InvalidOperationException("transport down") : ValueTask.FromResult(Alive);
        }

        public async Task WaitForProbesAsync(int count)
        {
            // The probe runs on the thread pool after the fake timer fires; bounded wait for its signal.
            while (Probes < count)
            {
                Assert.True(await _probed.WaitAsync(TimeSpan.FromSeconds(5)), "probe did not happen");
            }
        }
    }
}
