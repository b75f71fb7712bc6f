using System.Buffers;
using System.Globalization;

namespace Intake.Sip.Messages;

/// <summary>Common part of requests and responses: headers, opaque body and cached typed header views.</summary>
public abstract class SipMessage
{
    private int _cacheVersion = -1;
    private IReadOnlyList<SipVia>? _vias;
    private SipNameAddress? _from;
    private SipNameAddress? _to;
    private SipCSeq? _cseq;
    private IReadOnlyList<SipNameAddress>? _contacts;
    private IReadOnlyList<SipNameAddress>? _routes;
    private IReadOnlyList<SipNameAddress>? _recordRoutes;

    private protected SipMessage(SipHeaders headers, ReadOnlyMemory<byte> body)
    {
        Headers = headers;
        Body = body;
    }

    public SipHeaders Headers { get; }

    /// <summary>Opaque body bytes (multipart included); the serializer writes Content-Length from its length.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    public string? ContentType => Headers.Get(HeaderId.ContentType);

    public IReadOnlyList<SipVia> Vias
    {
        get
        {
            Refresh();
            return _vias ??= ParseList(HeaderId.Via, static (string s, out SipVia? v) => SipVia.TryParse(s, out v));
        }
    }

    public SipVia? TopVia => Vias.Count > 0 ? Vias[0] : null;

    public SipNameAddress? From
    {
        get
        {
            Refresh();
            return _from ??= ParseSingle(HeaderId.From);
        }
    }

    public SipNameAddress? To
    {
        get
        {
            Refresh();
            return _to ??= ParseSingle(HeaderId.To);
        }
    }

    public string? CallId => Headers.Get(HeaderId.CallId)?.Trim();

    public SipCSeq? CSeq
    {
        get
        {
            Refresh();
            if (_cseq is null && Headers.Get(HeaderId.CSeq) is { } text && SipCSeq.TryParse(text, out var value)) _cseq = value;
            return _cseq;
        }
    }

    public int? MaxForwards => ParseInt(Headers.Get(HeaderId.MaxForwards));

    public IReadOnlyList<SipNameAddress> Contacts
    {
        get
        {
            Refresh();
            return _contacts ??= ParseList(HeaderId.Contact, static (string s, out SipNameAddress? v) => SipNameAddress.TryParse(s, out v));
        }
    }

    public IReadOnlyList<SipNameAddress> Routes
    {
        get
        {
            Refresh();
            return _routes ??= ParseList(HeaderId.Route, static (string s, out SipNameAddress? v) => SipNameAddress.TryParse(s, out v));
        }
    }

    public IReadOnlyList<SipNameAddress> RecordRoutes
    {
        get
        {
            Refresh();
            return _recordRoutes ??= ParseList(HeaderId.RecordRoute, static (string s, out SipNameAddress? v) => SipNameAddress.TryParse(s, out v));
        }
    }

    /// <summary>Expires header in seconds; null when absent or out of range.</summary>
    public int? Expires => ParseInt(Headers.Get(HeaderId.Expires));

    public byte[] ToBytes() => SipSerializer.Serialize(this);

    public void WriteTo(IBufferWriter<byte> writer) => SipSerializer.WriteTo(this, writer);

    private delegate bool TryParser<T>(string text, out T? value);

    private void Refresh()
    {
        if (_cacheVersion == Headers.Version) return;
        _cacheVersion = Headers.Version;
        _vias = null;
        _from = null;
        _to = null;
        _cseq = null;
        _contacts = null;
        _routes = null;
        _recordRoutes = null;
    }

    private SipNameAddress? ParseSingle(HeaderId id) =>
        Headers.Get(id) is { } text && SipNameAddress.TryParse(text, out var value) ? value : null;

    private IReadOnlyList<T> ParseList<T>(HeaderId id, TryParser<T> parse)
        where T : class
    {
        var values = Headers.GetAll(id);
        var list = new List<T>(values.Count);
        foreach (var text in values)
        {
            if (parse(text, out var item) && item is not null) list.Add(item);
        }

        return list;
    }

    private static int? ParseInt(string? text) =>
        int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
