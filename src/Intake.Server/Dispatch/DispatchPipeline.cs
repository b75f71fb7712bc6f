using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Intake.Server.Dispatch;

/// <summary>
/// The resilience pipeline around one Submit: retries with exponential backoff and jitter (outermost), a circuit
/// breaker that stops hammering a sink that keeps failing, and a per-attempt timeout (innermost).
/// </summary>
public static class DispatchPipeline
{
    public static ResiliencePipeline Create(DispatchOptions options, TimeProvider timeProvider)
    {
        var failures = new PredicateBuilder()
            .Handle<RpcException>()
            .Handle<TimeoutRejectedException>()
            .Handle<HttpRequestException>()
            .Handle<IOException>();

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<RpcException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<HttpRequestException>()
                    .Handle<IOException>()
                    .Handle<BrokenCircuitException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(options.RetryBaseDelaySeconds),
                MaxDelay = TimeSpan.FromSeconds(options.RetryMaxDelaySeconds),
                MaxRetryAttempts = 6,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = failures,
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(2, options.BreakDurationSeconds * 2)),
                BreakDuration = TimeSpan.FromSeconds(options.BreakDurationSeconds),
            })
            .AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds))
            .Build();
    }
}
