using Intake.Acd.Configuration;
using Intake.Acd.Decisions;
using Intake.Acd.Engine;

namespace Intake.Acd.Tests.Support;

/// <summary>Drives an engine with one random operation per call; shared by the randomized and property tests.</summary>
internal sealed class RandomOperations(AcdEngine engine)
{
    public const int OperationKinds = 12;

    public static readonly string[] Operators = ["op1", "op2", "op3", "op4", "op5", "op6"];

    private static readonly string[] Numbers = ["police-number", "fire-number", "info-number"];

    private readonly Lock _gate = new();
    private readonly List<string> _accepted = [];
    private int _nextCallId;

    /// <summary>Three queues with different strategies, overflow on one, operators in overlapping queues.</summary>
    public static AcdOptions Options() => TestOptions.Options(
        [
            TestOptions.Queue("police", priority: 5, overflowUri: TestOptions.OverflowUri, ringTimeout: 4, wrapUp: 2, maxWait: 12),
            TestOptions.Queue("fire", priority: 5, strategy: DistributionStrategyKind.RingAll, ringTimeout: 3, wrapUp: 1),
            TestOptions.Queue("info", strategy: DistributionStrategyKind.RoundRobin, overflowUri: TestOptions.OverflowUri, ringTimeout: 5, wrapUp: 0, maxWait: 20),
        ],
        TestOptions.Operator("op1", "police"),
        TestOptions.OperatorWithSkills("op2", ("police", 2), ("fire", 1)),
        TestOptions.Operator("op3", "fire"),
        TestOptions.Operator("op4", "fire", "info"),
        TestOptions.Operator("op5", "info"),
        TestOptions.OperatorWithSkills("op6", ("police", 1), ("info", 3)));

    public IReadOnlyList<string> Accepted
    {
        get
        {
            lock (_gate)
            {
                return [.. _accepted];
            }
        }
    }

    public void Apply(int kind, int a, int b)
    {
        var op = Operators[a % Operators.Length];
        switch (kind % OperationKinds)
        {
            case 0:
            case 1:
                var id = "call-" + Interlocked.Increment(ref _nextCallId);
                if (engine.CallArrived(id, Numbers[b % Numbers.Length], "+49" + b) == AcdResult.Ok)
                {
                    lock (_gate)
                    {
                        _accepted.Add(id);
                    }
                }

                break;
            case 2:
            case 3:
                if (engine.GetOperator(op)?.OfferedCallId is { } offered)
                {
                    engine.CallAnswered(offered, op);
                }

                break;
            case 4:
                if (engine.GetOperator(op)?.OfferedCallId is { } failing)
                {
                    engine.OfferFailed(failing, op, (OfferFailureReason)(b % 3));
                }

                break;
            case 5:
                engine.CallerLeft(PickCall(b));
                break;
            case 6:
                engine.CallEnded(engine.GetOperator(op)?.CallId ?? PickCall(b));
                break;
            case 7:
                engine.OperatorRegistered(op);
                break;
            case 8:
                if (b % 2 == 0)
                {
                    engine.OperatorUnregistered(op);
                }
                else
                {
                    engine.OperatorUnreachable(op);
                }

                break;
            case 9:
            case 10:
                engine.SetReady(op);
                break;
            default:
                engine.SetNotReady(op, "reason " + (b % 3));
                break;
        }
    }

    /// <summary>Ends every accepted call, so each must reach its terminal outcome.</summary>
    public void EndAll()
    {
        foreach (var id in Accepted)
        {
            engine.CallEnded(id);
        }
    }

    private string PickCall(int b)
    {
        lock (_gate)
        {
            // Bias towards recent calls, which are the ones still alive.
            return _accepted.Count == 0 ? "none" : _accepted[Math.Max(0, _accepted.Count - 1 - (b % 8))];
        }
    }
}
