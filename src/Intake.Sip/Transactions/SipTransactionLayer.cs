using System.Collections.Concurrent;
using Intake.Sip.Messages;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transactions;

/// <summary>
/// Owns every live transaction: matches inbound requests to server transactions (§17.2.3) and inbound responses
/// to client transactions (§17.1.3), creates new ones, and forgets them when they terminate.
/// </summary>
public sealed class SipTransactionLayer
{
    private readonly ConcurrentDictionary<SipTransactionKey, SipServerTransaction> _server = new();
    private readonly ConcurrentDictionary<(string Branch, string Method), SipClientTransaction> _client = new();
    private readonly ConcurrentDictionary<MergeKey, SipTransactionKey> _merge = new();
    private readonly SipTransactionContext _context;

    public SipTransactionLayer(ISipMessageSink sink, SipTimerOptions timers, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(timers);
        timers.Validate();
        _context = new SipTransactionContext(sink, timers, time ?? throw new ArgumentNullException(nameof(time)), logger)
        {
            Terminated = Forget,
        };
    }

    public SipTimerOptions Timers => _context.Timers;

    public int ServerTransactionCount => _server.Count;

    public int ClientTransactionCount => _client.Count;

    /// <summary>Called after a server transaction sent a final response (the core confirms or ends dialogs).</summary>
    public Func<SipServerTransaction, SipResponse, ValueTask>? FinalResponseSent
    {
        get => _context.FinalResponseSent;
        set => _context.FinalResponseSent = value;
    }

    /// <summary>Called for every 2xx a client INVITE transaction receives after the first (the core re-ACKs).</summary>
    public Func<ClientInviteTransaction, SipResponse, ValueTask>? AdditionalSuccessResponse
    {
        get => _context.AdditionalSuccessResponse;
        set => _context.AdditionalSuccessResponse = value;
    }

    public SipServerTransaction? FindServerTransaction(SipRequest request) =>
        SipTransactionKey.TryCreate(request, out var key) && _server.TryGetValue(key, out var tx) ? tx : null;

    /// <summary>The INVITE transaction a CANCEL targets (same branch and sent-by, method INVITE).</summary>
    public ServerInviteTransaction? FindInviteFor(SipRequest cancel) =>
        SipTransactionKey.TryCreate(cancel, out var key) && _server.TryGetValue(key.ForInvite(), out var tx) ? tx as ServerInviteTransaction : null;

    /// <summary>
    /// §8.2.2.2 merged request: no To tag, and From tag, Call-ID and CSeq equal those of a live server transaction
    /// that this request does not match (it reached us a second time by another path).
    /// </summary>
    public bool IsMergedRequest(SipRequest request)
    {
        if (request.To?.Tag is not null || !SipTransactionKey.TryCreate(request, out var key)) return false;
        return MergeKey.TryCreate(request, out var merge) && _merge.TryGetValue(merge, out var existing) && existing != key;
    }

    /// <summary>Creates the server transaction for a request that matched none; on a race returns the stored one and
    /// sets <paramref name="created"/> to false (the request is then a retransmission).</summary>
    public SipServerTransaction GetOrCreateServerTransaction(SipRequest request, SipResponseRoute route, out bool created)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethods.Ack) throw new ArgumentException("ACK never creates a server transaction.", nameof(request));
        if (!SipTransactionKey.TryCreate(request, out var key)) throw new ArgumentException("The request lacks Via or CSeq.", nameof(request));
        SipServerTransaction tx = request.Method == SipMethods.Invite
            ? new ServerInviteTransaction(request, key, route, _context)
            : new ServerNonInviteTransaction(request, key, route, _context);
        var stored = _server.GetOrAdd(key, tx);
        created = ReferenceEquals(stored, tx);
        if (created && request.To?.Tag is null && MergeKey.TryCreate(request, out var merge))
        {
            _merge.TryAdd(merge, key);
        }

        return stored;
    }

    /// <summary>Creates a client transaction and sends the request. The request must carry a top Via with a unique branch.</summary>
    public async ValueTask<SipClientTransaction> SendRequestAsync(SipRequest request, SipEndPoint destination, Action<SipResponse>? onProvisional = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethods.Ack) throw new ArgumentException("ACK is sent without a transaction.", nameof(request));
        SipClientTransaction tx = request.Method == SipMethods.Invite
            ? new ClientInviteTransaction(request, destination, _context, onProvisional)
            : new ClientNonInviteTransaction(request, destination, _context, onProvisional);
        if (!_client.TryAdd(tx.MatchKey, tx)) throw new InvalidOperationException($"A client transaction with branch {tx.Branch} already exists.");
        await tx.StartAsync().ConfigureAwait(false);
        return tx;
    }

    /// <summary>Delivers a response to its client transaction; false when none matches (a stray response).</summary>
    public async ValueTask<bool> TryDispatchResponseAsync(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.TopVia?.Branch is not { } branch || response.CSeq is not { } cseq) return false;
        if (!_client.TryGetValue((branch, cseq.Method), out var tx)) return false;
        await tx.OnResponseAsync(response).ConfigureAwait(false);
        return true;
    }

    private void Forget(SipTransaction transaction)
    {
        switch (transaction)
        {
            case SipServerTransaction server:
                _server.TryRemove(new KeyValuePair<SipTransactionKey, SipServerTransaction>(server.Key, server));
                if (MergeKey.TryCreate(server.Request, out var merge))
                {
                    _merge.TryRemove(new KeyValuePair<MergeKey, SipTransactionKey>(merge, server.Key));
                }

                break;
            case SipClientTransaction client:
                _client.TryRemove(new KeyValuePair<(string, string), SipClientTransaction>(client.MatchKey, client));
                break;
        }
    }

    private readonly record struct MergeKey(string CallId, string FromTag, uint CSeq, string Method)
    {
        public static bool TryCreate(SipRequest request, out MergeKey key)
        {
            if (request.CallId is { } callId && request.From?.Tag is { } fromTag && request.CSeq is { } cseq)
            {
                key = new MergeKey(callId, fromTag, cseq.Number, cseq.Method);
                return true;
            }

            key = default;
            return false;
        }
    }
}
