namespace Intake.Server.Configuration;

/// <summary>The <c>Intake</c> section: server-wide settings.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>Recordings, the store and registrations live here; relative paths are relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>How long calls in progress may continue after a shutdown request before they are ended.</summary>
    public int DrainSeconds { get; set; } = 30;

    /// <summary>A softphone that registers makes its operator available (false: not ready until *21).</summary>
    public bool AvailableOnRegister { get; set; } = true;

    /// <summary>Calls held at once; past it new calls overflow (or get 503 when the queue has no overflow). 0 = unlimited.</summary>
    public int MaxConcurrentCalls { get; set; }

    /// <summary>Language of the default prompts (ar, fr, en) when a queue names none.</summary>
    public string PromptLanguage { get; set; } = "fr";

    /// <summary>INVITEs to operators carry auto-answer hints (Call-Info answer-after=0, Alert-Info) so phones pick up at once.</summary>
    public bool OperatorAutoAnswer { get; set; } = true;

    /// <summary>Realm of the digest challenge operators' softphones answer.</summary>
    public string Realm { get; set; } = "intake";

    /// <summary>Period of the OPTIONS probes of registered softphones (3 misses make an operator unreachable); 0 disables them.</summary>
    public int OperatorKeepAliveSeconds { get; set; } = 30;

    /// <summary>
    /// Digest algorithms offered to softphones, preferred first ("SHA-256", "MD5"); empty means SHA-256 then MD5.
    /// Phones that answer only the first challenge and know only MD5 (SIPp 3.6.1, many older phones) need MD5 first.
    /// </summary>
    public List<string> DigestAlgorithms { get; set; } = [];
}
