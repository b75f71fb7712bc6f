using System.Collections.Concurrent;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Transport;

/// <summary>
/// The default policy, or a fixed answer per method, that also lets a test wait until the receive loop has sorted
/// a given number of messages, and records what was shed.
/// </summary>
internal sealed class CountingClassifier(Func<SipStartLinePeek, SipInboundPriority>? decide = null) : ISipInboundClassifier
{
    private readonly ConcurrentQueue<SipStartLinePeek> _shed = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _classified;

    public IReadOnlyCollection<SipStartLinePeek> Shed => _shed;

    public SipInboundPriority Classify(SipEndPoint remote, SipStartLinePeek startLine)
    {
        var priority = decide?.Invoke(startLine) ?? SipInboundClassifier.Default.Classify(remote, startLine);
        lock (_gate)
        {
            _classified++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _classified))
            {
                waiter.Reached.TrySetResult();
            }
        }

        return priority;
    }

    public void OnShed(SipEndPoint remote, SipStartLinePeek startLine) => _shed.Enqueue(startLine);

    /// <summary>Completes once <paramref name="count"/> messages have been classified in total.</summary>
    public Task ClassifiedAsync(int count)
    {
        lock (_gate)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_classified >= count)
            {
                reached.SetResult();
            }
            else
            {
                _waiters.Add((count, reached));
            }

            return reached.Task.WaitAsync(InboundRecorder.Timeout);
        }
    }
}
