using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Tests.Transport;

/// <summary>Keeps every formatted log line so tests can assert that rejections and failures are reported.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public bool Contains(string fragment) => _lines.Any(line => line.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(_lines);

    public void AddProvider(ILoggerProvider provider)
    {
        throw new NotSupportedException("Test logger factory does not take providers.");
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : " | " + exception.Message)}");
        }
    }
}
