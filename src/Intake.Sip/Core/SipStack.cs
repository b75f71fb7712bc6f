using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Core;

/// <summary>
/// The SIP stack core: transport, parser, transaction layer, dialogs and the UAS/UAC core rules between them.
/// Inbound requests reach the <see cref="ISipRequestHandler"/> as server transactions; the TU sends requests with
/// <see cref="SendRequestAsync(SipRequest, SipEndPoint, Action{SipResponse}?)"/> and in-dialog requests with
/// <see cref="SendInDialogAsync"/>.
/// </summary>
public sealed partial class SipStack : IAsyncDisposable
{
    private readonly ISipRequestHandler _handler;
    private readonly ISipMessageSink _sink;
    private readonly SipTransportLayer? _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<DialogId, InviteSuccessRetransmitter> _retransmitters = new();

    /// <summary>A stack over the real UDP/TCP transport; call <see cref="StartAsync"/> to bind.</summary>
    public SipStack(SipStackOptions options, ISipRequestHandler handler, TimeProvider time, ILoggerFactory loggerFactory)
        : this(options, handler, time, loggerFactory, null)
    {
    }

    /// <summary>A stack over any wire (tests, simulations): inbound messages are fed to <see cref="ReceiveAsync"/>.</summary>
    public SipStack(SipStackOptions options, ISipRequestHandler handler, ISipMessageSink sink, TimeProvider time, ILoggerFactory loggerFactory)
        : this(options, handler, time, loggerFactory, sink ?? throw new ArgumentNullException(nameof(sink)))
    {
    }

    private SipStack(SipStackOptions options, ISipRequestHandler handler, TimeProvider time, ILoggerFactory loggerFactory, ISipMessageSink? sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Timers.Validate();
        Options = options;
        _handler = handler;
        _time = time;
        _logger = loggerFactory.CreateLogger<SipStack>();
        if (sink is null)
        {
            _transport = new SipTransportLayer(options.Transport, ReceiveAsync, time, loggerFactory);
            sink = new TransportMessageSink(_transport);
        }

        _sink = sink;
        Transactions = new SipTransactionLayer(sink, options.Timers, time, loggerFactory.CreateLogger<SipTransactionLayer>())
        {
            FinalResponseSent = OnFinalResponseSentAsync,
            AdditionalSuccessResponse = OnAdditionalSuccessAsync,
        };
    }

    public SipStackOptions Options { get; }

    public SipTransactionLayer Transactions { get; }

    public DialogStore Dialogs { get; } = new();

    /// <summary>Bound endpoints (empty when the stack runs over a custom sink).</summary>
    public IReadOnlyList<SipEndPoint> LocalEndPoints => _transport?.LocalEndPoints ?? [];

    /// <summary>Binds the transport (no-op over a custom sink). Throws naming the endpoint when a bind fails.</summary>
    public Task StartAsync(CancellationToken cancellationToken) =>
        _transport?.StartAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var retransmitter in _retransmitters.Values) retransmitter.Dispose();
        _retransmitters.Clear();
        if (_transport is not null) await _transport.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// An out-of-dialog request (§8.1.1): new Call-ID, From tag, CSeq 1, Max-Forwards 70 and, when given, Contact.
    /// The Via is added when it is sent.
    /// </summary>
    public SipRequest CreateRequest(string method, SipUri requestUri, SipNameAddress from, SipNameAddress to, SipUri? contact = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(requestUri);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var request = new SipRequest(method, requestUri);
        var headers = request.Headers;
        headers.Add("Max-Forwards", "70");
        headers.Add("From", (from.Tag is null ? from.WithTag(SipTag.Create()) : from).ToString());
        headers.Add("To", to.ToString());
        headers.Add("Call-ID", SipTag.CreateCallId());
        headers.Add("CSeq", new SipCSeq(1, method).ToString());
        if (contact is not null) headers.Add("Contact", new SipNameAddress(contact).ToString());
        return request;
    }

    /// <summary>
    /// Sends a request in a new client transaction. A Via with a fresh branch is added unless the request already
    /// has one with a branch (CANCEL). Await <see cref="SipClientTransaction.FinalResponse"/> for the outcome.
    /// </summary>
    public ValueTask<SipClientTransaction> SendRequestAsync(SipRequest request, SipEndPoint destination, Action<SipResponse>? onProvisional = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        PrepareOutgoing(request, destination);
        return Transactions.SendRequestAsync(request, destination, onProvisional);
    }

    /// <summary>As <see cref="SendRequestAsync(SipRequest, SipEndPoint, Action{SipResponse}?)"/>, with the next hop taken
    /// from the first Route or the Request-URI (IP literals and localhost only).</summary>
    public ValueTask<SipClientTransaction> SendRequestAsync(SipRequest request, Action<SipResponse>? onProvisional = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SipDestinationResolver.TryResolve(request, out var destination))
        {
            throw new ArgumentException($"Cannot resolve a destination for {request} without DNS; pass one explicitly.", nameof(request));
        }

        return SendRequestAsync(request, destination, onProvisional);
    }

    /// <summary>
    /// Sends a request built by <see cref="Dialog.CreateRequest"/>. The next hop comes from the route set or remote
    /// target, falling back to <see cref="Dialog.PeerEndPoint"/>. Sending BYE ends the dialog at once (§15).
    /// </summary>
    public ValueTask<SipClientTransaction> SendInDialogAsync(Dialog dialog, SipRequest request, Action<SipResponse>? onProvisional = null)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(request);
        var destination = ResolveInDialog(dialog, request);
        if (request.Method == SipMethods.Bye) EndDialog(dialog);
        return SendRequestAsync(request, destination, onProvisional);
    }

    /// <summary>Sends the ACK for a 2xx to INVITE (§13.2.2.4) and remembers it for retransmitted 2xx.</summary>
    public ValueTask<bool> SendAckAsync(Dialog dialog, SipResponse success, ReadOnlyMemory<byte> body = default, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(success);
        var sequence = success.CSeq?.Number ?? throw new ArgumentException("The response has no CSeq.", nameof(success));
        var ack = dialog.CreateAck(sequence, body, contentType);
        var destination = ResolveInDialog(dialog, ack);
        PrepareOutgoing(ack, destination);
        dialog.LastAck = ack;
        dialog.LastAckDestination = destination;
        return _sink.SendAsync(ack, destination, 0);
    }

    /// <summary>
    /// Cancels a pending INVITE (§9.1): waits for its first response (a CANCEL must not precede it), then sends
    /// CANCEL unless a final response already arrived. Returns the CANCEL's final response, or null when none was sent.
    /// </summary>
    public async Task<SipResponse?> CancelAsync(ClientInviteTransaction invite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invite);
        await invite.FirstResponse.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (invite.FinalResponse.IsCompleted) return null;
        var cancel = invite.CreateCancel();
        if (Options.UserAgent is { } agent) cancel.Headers.Add("User-Agent", agent);
        var tx = await Transactions.SendRequestAsync(cancel, invite.Destination).ConfigureAwait(false);
        return await tx.FinalResponse.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A UAS dialog for an INVITE about to be answered with 1xx/2xx (§12.1.1), using the transaction's To tag.</summary>
    public Dialog CreateUasDialog(SipServerTransaction invite, SipUri? localContact = null)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var destination = invite.Route.Destination;
        var contact = localContact ?? GetLocalContact(destination);
        var secure = destination.Protocol == SipTransportProtocol.Tls;
        var dialog = Dialog.CreateUas(invite.Request, invite.LocalTag, contact, secure);
        dialog.PeerEndPoint = destination;
        return Dialogs.GetOrAdd(dialog);
    }

    /// <summary>A UAC dialog from our INVITE and a 1xx with To tag or a 2xx (§12.1.2); a 2xx confirms an early one.</summary>
    public Dialog CreateUacDialog(SipClientTransaction invite, SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(response);
        var contact = invite.Request.Contacts.Count > 0 ? invite.Request.Contacts[0].Uri : GetLocalContact(invite.Destination);
        var dialog = Dialog.CreateUac(invite.Request, response, contact);
        dialog.PeerEndPoint = invite.Destination;
        var stored = Dialogs.GetOrAdd(dialog);
        if (!ReferenceEquals(stored, dialog) && response.StatusCode is >= 200 and < 300) stored.Confirm(response);
        return stored;
    }

    /// <summary>Our Contact URI for talking to <paramref name="peer"/>: advertised host or bound address, bound port, transport.</summary>
    public SipUri GetLocalContact(SipEndPoint peer)
    {
        var (host, port) = GetSentBy(peer);
        var uri = SipUri.Parse(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sip:{host}:{port}"));
        return peer.Protocol switch
        {
            SipTransportProtocol.Tcp => uri.WithParameter("transport", "tcp"),
            SipTransportProtocol.Tls => uri.WithParameter("transport", "tls"),
            _ => uri,
        };
    }

    /// <summary>
    /// Shutdown helper: sends BYE in every confirmed dialog and waits (bounded by Timer F or
    /// <paramref name="cancellationToken"/>) for the answers; early dialogs are simply forgotten.
    /// </summary>
    /// <returns>The number of BYEs sent.</returns>
    public async Task<int> TerminateAllDialogsAsync(CancellationToken cancellationToken)
    {
        var pending = new List<Task<SipResponse>>();
        foreach (var dialog in Dialogs.Snapshot())
        {
            if (dialog.State != DialogState.Confirmed)
            {
                EndDialog(dialog);
                continue;
            }

            var tx = await SendInDialogAsync(dialog, dialog.CreateRequest(SipMethods.Bye)).ConfigureAwait(false);
            pending.Add(tx.FinalResponse);
        }

        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        return pending.Count;
    }

    /// <summary>Ends a dialog locally: removes it and stops any 2xx retransmission.</summary>
    public void EndDialog(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        Dialogs.Remove(dialog);
        if (_retransmitters.TryRemove(dialog.Id, out var retransmitter)) retransmitter.Dispose();
    }

    private SipEndPoint ResolveInDialog(Dialog dialog, SipRequest request)
    {
        if (SipDestinationResolver.TryResolve(request, out var destination)) return destination;
        return dialog.PeerEndPoint ?? throw new InvalidOperationException($"{dialog}: the next hop is not an IP literal and no peer endpoint is known.");
    }

    private void PrepareOutgoing(SipRequest request, SipEndPoint destination)
    {
        if (request.TopVia?.Branch is null)
        {
            var (host, port) = GetSentBy(destination);
            var via = new SipVia(destination.Protocol, host, port, SipBranch.Create()).WithParameter("rport", null);
            request.Headers.Insert(0, "Via", via.ToString());
        }

        if (Options.UserAgent is { } agent && !request.Headers.Contains(HeaderId.UserAgent)) request.Headers.Add("User-Agent", agent);
    }

    private (string Host, int Port) GetSentBy(SipEndPoint peer)
    {
        var local = _sink.GetLocalEndPoint(peer.Protocol, peer.Address.AddressFamily)
            ?? throw new InvalidOperationException($"No local {peer.Protocol} endpoint for {peer.Address.AddressFamily}; is the transport started?");
        if (Options.AdvertisedHost is { } advertised) return (advertised, local.Address.Port);
        var address = local.Address.Address;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) address = ProbeSourceAddress(peer.Address);
        return (ResponseRouter.FormatHost(address), local.Address.Port);
    }

    /// <summary>The interface address the OS would use toward <paramref name="peer"/> (a connected UDP socket sends nothing).</summary>
    private static IPAddress ProbeSourceAddress(IPEndPoint peer)
    {
        try
        {
            using var probe = new Socket(peer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(peer);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return peer.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        }
    }
}
