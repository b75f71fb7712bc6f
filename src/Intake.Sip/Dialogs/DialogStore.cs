using System.Collections.Concurrent;
using Intake.Sip.Messages;

namespace Intake.Sip.Dialogs;

/// <summary>Every live dialog by id, so in-dialog requests and responses find theirs (unknown ones get 481).</summary>
public sealed class DialogStore
{
    private readonly ConcurrentDictionary<DialogId, Dialog> _dialogs = new();

    public int Count => _dialogs.Count;

    /// <summary>A snapshot of the live dialogs (for shutdown: end each with BYE).</summary>
    public IReadOnlyList<Dialog> Snapshot() => [.. _dialogs.Values];

    /// <summary>Adds a dialog; returns the one already stored under the same id if there is one.</summary>
    public Dialog GetOrAdd(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        return _dialogs.GetOrAdd(dialog.Id, dialog);
    }

    public bool TryGet(DialogId id, out Dialog dialog) => _dialogs.TryGetValue(id, out dialog!);

    public Dialog? FindForInboundRequest(SipRequest request) =>
        DialogId.TryFromInboundRequest(request, out var id) && _dialogs.TryGetValue(id, out var dialog) ? dialog : null;

    public Dialog? FindForInboundResponse(SipResponse response) =>
        DialogId.TryFromInboundResponse(response, out var id) && _dialogs.TryGetValue(id, out var dialog) ? dialog : null;

    /// <summary>Terminates and removes a dialog; false when it was not stored.</summary>
    public bool Remove(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        dialog.Terminate();
        return _dialogs.TryRemove(new KeyValuePair<DialogId, Dialog>(dialog.Id, dialog));
    }
}
