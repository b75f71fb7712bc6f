using System.Net;
using System.Text.Json;
using Intake.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Registrar;

/// <summary>
/// Keeps all bindings in one JSON file, rewritten whole on every change through a temporary file and an
/// atomic rename, so a crash leaves either the old or the new file, never a torn one. Meant for the few
/// hundred bindings of a call centre; larger deployments use a database-backed store.
/// </summary>
public sealed class JsonFileRegistrationStore : IRegistrationStore
{
    public const string FileName = "registrations.json";

    private readonly string _path;
    private readonly string _tempPath;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Aor, string Key), StoredBinding> _bindings = new();

    public JsonFileRegistrationStore(string directory, ILogger<JsonFileRegistrationStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, FileName);
        _tempPath = _path + ".tmp";
        _logger = logger;
    }

    public IReadOnlyList<RegistrationBinding> Load()
    {
        lock (_lock)
        {
            _bindings.Clear();
            var stored = ReadFile();
            var result = new List<RegistrationBinding>(stored.Count);
            foreach (var entry in stored)
            {
                if (ToBinding(entry) is { } binding)
                {
                    _bindings[(binding.Aor, binding.Key)] = entry;
                    result.Add(binding);
                }
                else
                {
                    RegistrarLog.StoredBindingSkipped(_logger, entry.Aor);
                }
            }

            return result;
        }
    }

    public void Save(RegistrationBinding binding)
    {
        lock (_lock)
        {
            _bindings[(binding.Aor, binding.Key)] = ToStored(binding);
            WriteFile();
        }
    }

    public void Remove(RegistrationBinding binding)
    {
        lock (_lock)
        {
            if (_bindings.Remove((binding.Aor, binding.Key)))
            {
                WriteFile();
            }
        }
    }

    private List<StoredBinding> ReadFile()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        try
        {
            using var stream = File.OpenRead(_path);
            return JsonSerializer.Deserialize(stream, RegistrationJsonContext.Default.ListStoredBinding) ?? [];
        }
        catch (JsonException exception)
        {
            // Keep the evidence but do not let a damaged file stop the server from taking calls.
            var backup = _path + ".corrupt";
            File.Copy(_path, backup, overwrite: true);
            RegistrarLog.StoreCorrupt(_logger, _path, backup, exception);
            return [];
        }
    }

    private void WriteFile()
    {
        var snapshot = _bindings.Values.OrderBy(b => b.Aor, StringComparer.Ordinal).ThenBy(b => b.Contact, StringComparer.Ordinal).ToList();
        using (var stream = new FileStream(_tempPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, snapshot, RegistrationJsonContext.Default.ListStoredBinding);
            stream.Flush(flushToDisk: true);
        }

        File.Move(_tempPath, _path, overwrite: true);
    }

    private static StoredBinding ToStored(RegistrationBinding b) => new()
    {
        Aor = b.Aor,
        Contact = b.Contact.ToString(),
        InstanceId = b.InstanceId,
        RegId = b.RegId,
        Q = b.Q,
        CallId = b.CallId,
        CSeq = b.CSeq,
        RegisteredAt = b.RegisteredAt,
        UpdatedAt = b.UpdatedAt,
        ExpiresAt = b.ExpiresAt,
        SourceAddress = b.Source.Address.ToString(),
        SourcePort = b.Source.Port,
        Transport = b.Transport,
        ConnectionId = b.ConnectionId,
        UserAgent = b.UserAgent,
    };

    private static RegistrationBinding? ToBinding(StoredBinding s)
    {
        if (!SipNameAddress.TryParse(s.Contact, out var contact) || contact is null
            || !IPAddress.TryParse(s.SourceAddress, out var address) || s.SourcePort is < 0 or > 65535)
        {
            return null;
        }

        return new RegistrationBinding
        {
            Aor = s.Aor,
            Contact = contact,
            InstanceId = s.InstanceId,
            RegId = s.RegId,
            Q = s.Q,
            CallId = s.CallId,
            CSeq = s.CSeq,
            RegisteredAt = s.RegisteredAt,
            UpdatedAt = s.UpdatedAt,
            ExpiresAt = s.ExpiresAt,
            Source = new IPEndPoint(address, s.SourcePort),
            Transport = s.Transport,

            // A connection does not survive a restart; the phone reconnects and re-registers.
            ConnectionId = null,
            UserAgent = s.UserAgent,
        };
    }
}
