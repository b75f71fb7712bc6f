using System.Net;
using Intake.Sip.Messages;
using Intake.Sip.Registrar;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Sip.Tests.Registrar;

public sealed class JsonFileRegistrationStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "intake-reg-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Load_AfterSave_RoundTripsEveryField()
    {
        var binding = Binding("1001", "<sip:1001@192.168.1.20:5060;transport=tcp>;+sip.instance=\"<urn:uuid:1>\";reg-id=1") with
        {
            InstanceId = "<urn:uuid:1>", RegId = "1", Q = 0.7, ConnectionId = "conn-1", Transport = SipTransportProtocol.Tls,
        };
        Create().Save(binding);

        var loaded = Assert.Single(Create().Load());

        Assert.Equal(binding.Aor, loaded.Aor);
        Assert.Equal(binding.Contact.ToString(), loaded.Contact.ToString());
        Assert.Equal(binding.InstanceId, loaded.InstanceId);
        Assert.Equal(binding.RegId, loaded.RegId);
        Assert.Equal(binding.Q, loaded.Q);
        Assert.Equal(binding.CallId, loaded.CallId);
        Assert.Equal(binding.CSeq, loaded.CSeq);
        Assert.Equal(binding.RegisteredAt, loaded.RegisteredAt);
        Assert.Equal(binding.UpdatedAt, loaded.UpdatedAt);
        Assert.Equal(binding.ExpiresAt, loaded.ExpiresAt);
        Assert.Equal(binding.Source, loaded.Source);
        Assert.Equal(binding.Transport, loaded.Transport);
        Assert.Equal(binding.UserAgent, loaded.UserAgent);
        Assert.Null(loaded.ConnectionId);
        Assert.Equal(binding.Key, loaded.Key);
    }

    [Fact]
    public void Save_SameKeyTwice_Replaces()
    {
        var store = Create();
        var binding = Binding("1001", "<sip:1001@127.0.0.1:5070>");
        store.Save(binding);

        store.Save(binding with { CSeq = 9 });

        Assert.Equal(9u, Assert.Single(Create().Load()).CSeq);
    }

    [Fact]
    public void Remove_Saved_GoneAfterReload()
    {
        var store = Create();
        var keep = Binding("1001", "<sip:1001@127.0.0.1:5070>");
        var drop = Binding("1001", "<sip:1001@127.0.0.1:5080>");
        store.Save(keep);
        store.Save(drop);

        store.Remove(drop);

        Assert.Equal(keep.Key, Assert.Single(Create().Load()).Key);
    }

    [Fact]
    public void Save_LeavesNoTemporaryFile()
    {
        Create().Save(Binding("1001", "<sip:1001@127.0.0.1:5070>"));

        Assert.Equal([JsonFileRegistrationStore.FileName], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_CorruptFile_EmptyAndBackupKept()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, JsonFileRegistrationStore.FileName), "{ not json");

        Assert.Empty(Create().Load());
        Assert.True(File.Exists(Path.Combine(_directory, JsonFileRegistrationStore.FileName + ".corrupt")));
    }

    [Fact]
    public void Load_NoFile_Empty()
    {
        Assert.Empty(Create().Load());
    }

    [Fact]
    public async Task Registrar_RestartWithJsonStore_BindingsRestored()
    {
        using (var before = new RegistrarFixture(Create()))
        {
            await before.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>", "<sip:1001@127.0.0.1:5080>"], 600);
            await before.RegisterAsync(3, ["<sip:1001@127.0.0.1:5080>"], 0);
        }

        using var after = new RegistrarFixture(Create());
        var restored = after.Registrar.LoadPersisted();

        Assert.Equal(1, restored);
        var binding = Assert.Single(after.Registrar.GetContacts("1001"));
        Assert.Equal(5070, binding.ContactUri.Port);
        Assert.Equal(2u, binding.CSeq);
    }

    [Fact]
    public async Task Registrar_RestartAfterExpiry_ExpiredBindingsNotRestored()
    {
        using (var before = new RegistrarFixture(Create()))
        {
            await before.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 600);
        }

        using var after = new RegistrarFixture(Create());
        after.Time.Advance(TimeSpan.FromSeconds(601));

        Assert.Equal(0, after.Registrar.LoadPersisted());
    }

    private JsonFileRegistrationStore Create() => new(_directory, NullLogger<JsonFileRegistrationStore>.Instance);

    private static RegistrationBinding Binding(string aor, string contact)
    {
        Assert.True(SipNameAddress.TryParse(contact, out var nameAddress));
        var now = new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
        return new RegistrationBinding
        {
            Aor = aor,
            Contact = nameAddress!,
            CallId = "call-1",
            CSeq = 2,
            RegisteredAt = now,
            UpdatedAt = now.AddSeconds(5),
            ExpiresAt = now.AddSeconds(600),
            Source = new IPEndPoint(IPAddress.Loopback, 40000),
            Transport = SipTransportProtocol.Udp,
            UserAgent = "TestPhone/1.0",
        };
    }
}
