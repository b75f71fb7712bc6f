using Microsoft.Extensions.Logging;

namespace Intake.Sip.Registrar;

internal static partial class RegistrarLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Registration store file {Path} is unreadable; starting empty and keeping it as {Backup}")]
    public static partial void StoreCorrupt(ILogger logger, string path, string backup, Exception exception);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Skipping stored binding of {Aor} with unparsable contact or source")]
    public static partial void StoredBindingSkipped(ILogger logger, string aor);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Persisting the bindings of {Aor} failed; they remain active in memory")]
    public static partial void PersistFailed(ILogger logger, string aor, Exception exception);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Binding {Contact} of {Aor} {Change} (expires {ExpiresAt:O}, source {Source} over {Transport})")]
    public static partial void BindingChanged(ILogger logger, string aor, string contact, string change, DateTimeOffset expiresAt, string source, SipTransportProtocol transport);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Binding {Contact} of {Aor} expired")]
    public static partial void BindingExpired(ILogger logger, string aor, string contact);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "REGISTER for {Aor} from {Source} refused with {StatusCode}: {Reason}")]
    public static partial void RegisterRefused(ILogger logger, string aor, string source, int statusCode, string reason);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Binding {Contact} of {Aor} unreachable after {Failures} failed keep-alives")]
    public static partial void BindingUnreachable(ILogger logger, string aor, string contact, int failures);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Binding {Contact} of {Aor} reachable again")]
    public static partial void BindingReachable(ILogger logger, string aor, string contact);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning, Message = "Keep-alive probe of {Contact} of {Aor} threw")]
    public static partial void ProbeFailed(ILogger logger, string aor, string contact, Exception exception);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Error, Message = "Registration expiry sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
