using System.Net;

namespace Intake.Server.Configuration;

/// <summary>Checks a bound configuration; each problem is one line "Key: problem".</summary>
public static class ConfigurationValidator
{
    public static IReadOnlyList<string> Validate(IntakeConfiguration config)
    {
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(config.Intake.DataDirectory))
        {
            errors.Add("Intake:DataDirectory: must not be empty");
        }

        if (config.Intake.DrainSeconds is < 0 or > 3600)
        {
            errors.Add($"Intake:DrainSeconds: must be between 0 and 3600 (was {config.Intake.DrainSeconds})");
        }

        if (config.Intake.OperatorKeepAliveSeconds is < 0 or > 3600)
        {
            errors.Add($"Intake:OperatorKeepAliveSeconds: must be between 0 (disabled) and 3600 (was {config.Intake.OperatorKeepAliveSeconds})");
        }

        if (string.IsNullOrWhiteSpace(config.Intake.Realm))
        {
            errors.Add("Intake:Realm: must not be empty");
        }

        foreach (var (i, name) in config.Intake.DigestAlgorithms.Index())
        {
            if (name is not ("MD5" or "SHA-256") || config.Intake.DigestAlgorithms.IndexOf(name) != i)
            {
                errors.Add($"Intake:DigestAlgorithms:{i}: '{name}' must be MD5 or SHA-256, each at most once");
            }
        }

        if (!IPAddress.TryParse(config.Sip.BindAddress, out _))
        {
            errors.Add($"Sip:BindAddress: '{config.Sip.BindAddress}' is not an IP address");
        }

        if (config.Sip.AdvertisedAddress is { } advertised && !IPAddress.TryParse(advertised, out _))
        {
            errors.Add($"Sip:AdvertisedAddress: '{advertised}' is not an IP address");
        }

        CheckPort(errors, "Sip:Port", config.Sip.Port);
        if (!config.Sip.EnableUdp && !config.Sip.EnableTcp)
        {
            errors.Add("Sip:EnableUdp: at least one of Sip:EnableUdp and Sip:EnableTcp must be true");
        }

        ValidateSipTls(config.Sip, errors);
        if (config.Sip.TcpIdleTimeoutSeconds < 1)
        {
            errors.Add($"Sip:TcpIdleTimeoutSeconds: must be positive (was {config.Sip.TcpIdleTimeoutSeconds})");
        }

        if (config.Sip.MaxTcpConnectionsPerSource < 1)
        {
            errors.Add($"Sip:MaxTcpConnectionsPerSource: must be positive (was {config.Sip.MaxTcpConnectionsPerSource})");
        }

        if (config.Sip.T1Milliseconds is < 10 or > 10_000)
        {
            errors.Add($"Sip:T1Milliseconds: must be between 10 and 10000 (was {config.Sip.T1Milliseconds})");
        }

        if (config.Sip.T2Milliseconds < config.Sip.T1Milliseconds)
        {
            errors.Add($"Sip:T2Milliseconds: must not be below Sip:T1Milliseconds (was {config.Sip.T2Milliseconds})");
        }

        if (config.Sip.T4Milliseconds < 0)
        {
            errors.Add($"Sip:T4Milliseconds: must not be negative (was {config.Sip.T4Milliseconds})");
        }

        if (config.Sip.AnswerDelayMilliseconds is < 0 or > 60_000)
        {
            errors.Add($"Sip:AnswerDelayMilliseconds: must be between 0 and 60000 (was {config.Sip.AnswerDelayMilliseconds})");
        }

        CheckPort(errors, "Rtp:PortMin", config.Rtp.PortMin);
        CheckPort(errors, "Rtp:PortMax", config.Rtp.PortMax);
        if (config.Rtp.PortMax - config.Rtp.PortMin < 3)
        {
            errors.Add($"Rtp:PortMax: the range {config.Rtp.PortMin}..{config.Rtp.PortMax} must hold at least two RTP/RTCP pairs");
        }

        if (config.Rtp.ReceiveThreads is < 0 or > 64)
        {
            errors.Add($"Rtp:ReceiveThreads: must be 0 (one per core) to 64 (was {config.Rtp.ReceiveThreads})");
        }

        if (config.Rtp.InactivitySeconds < 1)
        {
            errors.Add($"Rtp:InactivitySeconds: must be positive (was {config.Rtp.InactivitySeconds})");
        }

        ValidateQueues(config.Queues, errors);
        if (errors.Count == 0)
        {
            // Cross references (operator -> queue, overflow URIs) once the basics hold.
            errors.AddRange(AcdOptionsMapper.Validate(config).Distinct());
        }

        return errors;
    }

    private static void ValidateQueues(List<QueueOptions> queues, List<string> errors)
    {
        if (queues.Count == 0)
        {
            errors.Add("Queues: at least one queue is required (e.g. { \"Name\": \"police\", \"Numbers\": [\"19\"] })");
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < queues.Count; i++)
        {
            var queue = queues[i];
            var key = $"Queues:{i}";
            if (string.IsNullOrWhiteSpace(queue.Name))
            {
                errors.Add($"{key}:Name: must not be empty");
            }
            else if (!names.Add(queue.Name))
            {
                errors.Add($"{key}:Name: queue '{queue.Name}' is defined twice");
            }

            if (queue.Numbers.Count == 0)
            {
                errors.Add($"{key}:Numbers: at least one dialled number is required");
            }

            for (var j = 0; j < queue.Numbers.Count; j++)
            {
                var number = queue.Numbers[j];
                if (string.IsNullOrWhiteSpace(number) || !number.All(IsDialChar))
                {
                    errors.Add($"{key}:Numbers:{j}: '{number}' is not a dialled number (digits, *, #, +)");
                }
                else if (!numbers.TryAdd(number, queue.Name))
                {
                    errors.Add($"{key}:Numbers:{j}: '{number}' already belongs to queue '{numbers[number]}'");
                }
            }
        }
    }

    private static void ValidateSipTls(SipOptions sip, List<string> errors)
    {
        if (sip.TlsPort == 0)
        {
            return;
        }

        CheckPort(errors, "Sip:TlsPort", sip.TlsPort);
        if (sip.TlsPort == sip.Port)
        {
            errors.Add($"Sip:TlsPort: must differ from Sip:Port (both {sip.Port})");
        }

        try
        {
            var (certificate, chain) = Sip.SipTlsCertificateLoader.LoadCertificate(sip);
            certificate.Dispose();
            foreach (var issuer in chain)
            {
                issuer.Dispose();
            }
        }
        catch (Sip.SipTlsConfigurationException ex)
        {
            errors.Add(ex.Message);
        }

        try
        {
            foreach (var authority in Sip.SipTlsCertificateLoader.LoadTrustedAuthorities(sip.TrustedCaPath))
            {
                authority.Dispose();
            }
        }
        catch (Sip.SipTlsConfigurationException ex)
        {
            errors.Add(ex.Message);
        }
    }

    private static bool IsDialChar(char c) => char.IsAsciiDigit(c) || c is '*' or '#' or '+';

    private static void CheckPort(List<string> errors, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{key}: must be between 1 and 65535 (was {port})");
        }
    }
}
