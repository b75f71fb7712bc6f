using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Dialogs;

/// <summary>
/// A dialog (RFC 3261 §12): identifiers, route set, remote target and sequence numbers, for either role.
/// Thread-safe: sequence numbers and targets change under a lock because in-dialog requests may race.
/// </summary>
public sealed class Dialog
{
    private readonly Lock _lock = new();
    private IReadOnlyList<SipNameAddress> _routeSet;
    private SipUri _remoteTarget;
    private uint _localSequence;
    private uint? _remoteSequence;
    private DialogState _state;

    private Dialog(DialogId id, bool isUac, SipNameAddress localUri, SipNameAddress remoteUri, SipUri localContact,
        SipUri remoteTarget, IReadOnlyList<SipNameAddress> routeSet, bool secure, uint localSequence, uint? remoteSequence, DialogState state)
    {
        Id = id;
        IsUac = isUac;
        LocalUri = localUri;
        RemoteUri = remoteUri;
        LocalContact = localContact;
        _remoteTarget = remoteTarget;
        _routeSet = routeSet;
        Secure = secure;
        _localSequence = localSequence;
        _remoteSequence = remoteSequence;
        _state = state;
    }

    public DialogId Id { get; }

    /// <summary>True when this side sent the dialog-creating INVITE.</summary>
    public bool IsUac { get; }

    /// <summary>Our address-of-record as it appears in From (UAC) or To (UAS), without tag.</summary>
    public SipNameAddress LocalUri { get; }

    public SipNameAddress RemoteUri { get; }

    /// <summary>Our Contact URI, placed in target-refresh requests and dialog-creating responses.</summary>
    public SipUri LocalContact { get; }

    public bool Secure { get; }

    public DialogState State { get { lock (_lock) return _state; } }

    public SipUri RemoteTarget { get { lock (_lock) return _remoteTarget; } }

    public IReadOnlyList<SipNameAddress> RouteSet { get { lock (_lock) return _routeSet; } }

    public uint LocalSequenceNumber { get { lock (_lock) return _localSequence; } }

    /// <summary>Null until the peer sent a request in this dialog (§12.1.2 "empty").</summary>
    public uint? RemoteSequenceNumber { get { lock (_lock) return _remoteSequence; } }

    /// <summary>Arbitrary per-dialog state for the TU (for example its call object).</summary>
    public object? UserState { get; set; }

    /// <summary>
    /// Where the peer was last reached (the source of the dialog-creating request, or where our INVITE went);
    /// used for in-dialog requests when the remote target is a host name the stack cannot resolve.
    /// </summary>
    public SipEndPoint? PeerEndPoint { get; set; }

    /// <summary>The ACK last sent for a 2xx (UAC), re-sent when that 2xx is retransmitted (§13.2.2.4).</summary>
    internal SipRequest? LastAck { get; set; }

    internal SipEndPoint LastAckDestination { get; set; }

    /// <summary>UAS side (§12.1.1): from the dialog-creating request and our To tag.</summary>
    public static Dialog CreateUas(SipRequest request, string localTag, SipUri localContact, bool isReliableSecureTransport = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(localTag);
        ArgumentNullException.ThrowIfNull(localContact);
        var callId = request.CallId ?? throw new ArgumentException("The request has no Call-ID.", nameof(request));
        var from = request.From ?? throw new ArgumentException("The request has no From.", nameof(request));
        var to = request.To ?? throw new ArgumentException("The request has no To.", nameof(request));
        var remoteTarget = request.Contacts.Count > 0 ? request.Contacts[0].Uri : from.Uri;
        var secure = isReliableSecureTransport && request.RequestUri.Scheme == "sips";
        return new Dialog(new DialogId(callId, localTag, from.Tag ?? string.Empty), false, WithoutTag(to), WithoutTag(from), localContact,
            remoteTarget, [.. request.RecordRoutes], secure, 0, request.CSeq?.Number, DialogState.Early);
    }

    /// <summary>UAC side (§12.1.2): from our request and a 1xx (early) or 2xx (confirmed) response carrying a To tag.</summary>
    public static Dialog CreateUac(SipRequest request, SipResponse response, SipUri localContact)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(localContact);
        var callId = request.CallId ?? throw new ArgumentException("The request has no Call-ID.", nameof(request));
        var from = request.From ?? throw new ArgumentException("The request has no From.", nameof(request));
        var localTag = from.Tag ?? throw new ArgumentException("The request has no From tag.", nameof(request));
        var to = response.To ?? throw new ArgumentException("The response has no To.", nameof(response));
        var remoteTag = to.Tag ?? throw new ArgumentException("The response has no To tag.", nameof(response));
        var remoteTarget = response.Contacts.Count > 0 ? response.Contacts[0].Uri : request.RequestUri;
        var state = response.StatusCode is >= 200 and < 300 ? DialogState.Confirmed : DialogState.Early;
        return new Dialog(new DialogId(callId, localTag, remoteTag), true, WithoutTag(from), WithoutTag(to), localContact,
            remoteTarget, ReversedRecordRoute(response), request.RequestUri.Scheme == "sips", request.CSeq?.Number ?? 1, null, state);
    }

    /// <summary>
    /// §12.2.2: checks the CSeq of a request received in this dialog and records it. A number lower than the last
    /// one seen is out of order and must be answered with 500.
    /// </summary>
    public bool TryAcceptRemoteSequence(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CSeq is not { } cseq) return false;
        lock (_lock)
        {
            if (_remoteSequence is { } last && cseq.Number < last) return false;
            _remoteSequence = cseq.Number;
            return true;
        }
    }

    /// <summary>§12.2: a target refresh request (re-INVITE, UPDATE) or its 2xx replaces the remote target with its Contact.</summary>
    public bool RefreshRemoteTarget(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Contacts.Count == 0 || message.Contacts[0].IsWildcard) return false;
        lock (_lock) _remoteTarget = message.Contacts[0].Uri;
        return true;
    }

    /// <summary>
    /// A new request in this dialog (§12.2.1.1): To/From with tags, Call-ID, the next local CSeq, Request-URI and
    /// Route from the route set (loose or strict routing), Max-Forwards, and Contact for target-refresh methods.
    /// The stack adds the Via when sending.
    /// </summary>
    public SipRequest CreateRequest(string method, ReadOnlyMemory<byte> body = default, string? contentType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (method is SipMethods.Ack or SipMethods.Cancel)
        {
            throw new ArgumentException("ACK and CANCEL reuse an existing CSeq; use CreateAck or the transaction's CreateCancel.", nameof(method));
        }

        uint sequence;
        lock (_lock) sequence = ++_localSequence;
        return Build(method, new SipCSeq(sequence, method), body, contentType);
    }

    /// <summary>The ACK for a 2xx to the INVITE with CSeq number <paramref name="inviteSequence"/> (§13.2.2.4).</summary>
    public SipRequest CreateAck(uint inviteSequence, ReadOnlyMemory<byte> body = default, string? contentType = null) =>
        Build(SipMethods.Ack, new SipCSeq(inviteSequence, SipMethods.Ack), body, contentType);

    /// <summary>
    /// A response to a request of this dialog (or to the dialog-creating INVITE) with our To tag; 1xx/2xx to
    /// INVITE and UPDATE also carry Record-Route (copied, §12.1.1) and our Contact.
    /// </summary>
    public SipResponse CreateResponse(SipRequest request, int statusCode, string? reasonPhrase = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = SipResponse.CreateFor(request, statusCode, reasonPhrase, statusCode == 100 ? null : Id.LocalTag);
        var targetMethod = request.Method is SipMethods.Invite or SipMethods.Update;
        if (targetMethod && statusCode is > 100 and < 300)
        {
            foreach (var recordRoute in request.Headers.GetAll(HeaderId.RecordRoute)) response.Headers.Add("Record-Route", recordRoute);
            response.Headers.Add("Contact", new SipNameAddress(LocalContact).ToString());
        }

        return response;
    }

    /// <summary>An early UAC dialog confirmed by a 2xx: the route set is recomputed from it (§13.2.2.4).</summary>
    public void Confirm(SipResponse? response = null)
    {
        lock (_lock)
        {
            if (_state == DialogState.Terminated) return;
            _state = DialogState.Confirmed;
            if (IsUac && response is not null)
            {
                _routeSet = ReversedRecordRoute(response);
                if (response.Contacts.Count > 0) _remoteTarget = response.Contacts[0].Uri;
            }
        }
    }

    public void Terminate()
    {
        lock (_lock) _state = DialogState.Terminated;
    }

    public override string ToString() => $"{(IsUac ? "UAC" : "UAS")} dialog {Id} ({State})";

    private SipRequest Build(string method, SipCSeq cseq, ReadOnlyMemory<byte> body, string? contentType)
    {
        IReadOnlyList<SipNameAddress> routeSet;
        SipUri remoteTarget;
        lock (_lock)
        {
            routeSet = _routeSet;
            remoteTarget = _remoteTarget;
        }

        var strict = routeSet.Count > 0 && !routeSet[0].Uri.HasParameter("lr");
        var request = new SipRequest(method, strict ? routeSet[0].Uri : remoteTarget);
        var headers = request.Headers;
        if (strict)
        {
            // §12.2.1.1 strict routing: the first route becomes the Request-URI, the remote target the last Route.
            for (var i = 1; i < routeSet.Count; i++) headers.Add("Route", routeSet[i].ToString());
            headers.Add("Route", new SipNameAddress(remoteTarget).ToString());
        }
        else
        {
            foreach (var route in routeSet) headers.Add("Route", route.ToString());
        }

        headers.Add("Max-Forwards", "70");
        headers.Add("From", LocalUri.WithTag(Id.LocalTag).ToString());
        headers.Add("To", RemoteUri.WithTag(Id.RemoteTag).ToString());
        headers.Add("Call-ID", Id.CallId);
        headers.Add("CSeq", cseq.ToString());
        if (method is SipMethods.Invite or SipMethods.Update or SipMethods.Subscribe or SipMethods.Notify or SipMethods.Refer)
        {
            headers.Add("Contact", new SipNameAddress(LocalContact).ToString());
        }

        if (!body.IsEmpty)
        {
            headers.Add("Content-Type", contentType ?? throw new ArgumentNullException(nameof(contentType), "A body needs a content type."));
            request.Body = body;
        }

        return request;
    }

    private static IReadOnlyList<SipNameAddress> ReversedRecordRoute(SipResponse response)
    {
        var routes = response.RecordRoutes.ToArray();
        Array.Reverse(routes);
        return routes;
    }

    private static SipNameAddress WithoutTag(SipNameAddress address) =>
        address.Tag is null
            ? address
            : new SipNameAddress(address.Uri, address.DisplayName, [.. address.Parameters.Where(p => !string.Equals(p.Key, "tag", StringComparison.OrdinalIgnoreCase))]);
}
