using Intake.Contracts.V1;

namespace Intake.Server.Events;

/// <summary>The names of the event kinds as clients write them: the oneof field names of <see cref="CallEvent"/>.</summary>
public static class CallEventKinds
{
    private static readonly Dictionary<string, CallEvent.KindOneofCase> ByName = BuildByName();

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static string NameOf(CallEvent.KindOneofCase kind) =>
        kind == CallEvent.KindOneofCase.None
            ? string.Empty
            : CallEvent.Descriptor.FindFieldByNumber((int)kind).Name;

    public static bool TryParse(string name, out CallEvent.KindOneofCase kind) =>
        ByName.TryGetValue(name, out kind);

    private static Dictionary<string, CallEvent.KindOneofCase> BuildByName()
    {
        var result = new Dictionary<string, CallEvent.KindOneofCase>(StringComparer.Ordinal);
        foreach (var field in CallEvent.Descriptor.Oneofs[0].Fields)
        {
            result[field.Name] = (CallEvent.KindOneofCase)field.FieldNumber;
        }

        return result;
    }
}
