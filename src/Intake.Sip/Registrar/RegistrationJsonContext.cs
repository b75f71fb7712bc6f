using System.Text.Json.Serialization;

namespace Intake.Sip.Registrar;

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<StoredBinding>))]
internal sealed partial class RegistrationJsonContext : JsonSerializerContext;
