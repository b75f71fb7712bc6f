using System.Collections;
using System.Text;

namespace Intake.Sip.Messages;

/// <summary>
/// Header fields in wire order, one entry per header line (comma lists are not split on storage).
/// Values read from the wire stay slices of the message buffer until first asked for.
/// </summary>
public sealed class SipHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private HeaderEntry[] _entries;
    private int _count;
    private readonly byte[]? _buffer;

    public SipHeaders()
        : this(null, 8)
    {
    }

    internal SipHeaders(byte[]? buffer, int capacity)
    {
        _buffer = buffer;
        _entries = new HeaderEntry[Math.Max(capacity, 1)];
    }

    public int Count => _count;

    /// <summary>Bumped on every change so typed views cached by <see cref="SipMessage"/> can be invalidated.</summary>
    internal int Version { get; private set; }

    internal byte[]? Buffer => _buffer;

    internal ReadOnlySpan<HeaderEntry> Entries => _entries.AsSpan(0, _count);

    /// <summary>First value of the header (name case-insensitive; compact forms are equivalent).</summary>
    public string? this[string name]
    {
        get
        {
            var index = IndexOf(name, 0);
            return index < 0 ? null : ValueAt(index);
        }
    }

    public string? Get(HeaderId id)
    {
        if (id == HeaderId.Unknown) return null;
        for (var i = 0; i < _count; i++)
        {
            if (_entries[i].Id == id) return ValueAt(i);
        }

        return null;
    }

    /// <summary>Every value of the header in order; comma-separated lists are split (respecting quotes and &lt;&gt;).</summary>
    public IReadOnlyList<string> GetAll(HeaderId id)
    {
        var result = new List<string>();
        if (id == HeaderId.Unknown) return result;
        var split = HeaderNames.IsList(id);
        for (var i = 0; i < _count; i++)
        {
            if (_entries[i].Id != id) continue;
            if (split) SipSyntax.SplitList(ValueAt(i), result);
            else result.Add(ValueAt(i));
        }

        return result;
    }

    public IReadOnlyList<string> GetAll(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = Identify(name);
        if (id != HeaderId.Unknown) return GetAll(id);
        var result = new List<string>();
        for (var index = IndexOf(name, 0); index >= 0; index = IndexOf(name, index + 1))
        {
            SipSyntax.SplitList(ValueAt(index), result);
        }

        return result;
    }

    public bool Contains(HeaderId id)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_entries[i].Id == id) return true;
        }

        return false;
    }

    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    public void Add(string name, string value) => Insert(_count, name, value);

    public void Insert(int index, string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, _count);
        if (_count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        Array.Copy(_entries, index, _entries, index + 1, _count - index);
        _entries[index] = new HeaderEntry { Id = Identify(name), Name = name, Value = value, RawStart = -1 };
        _count++;
        Version++;
    }

    /// <summary>Replaces every header of that name by a single one (at the first one's position), or appends.</summary>
    public void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var first = IndexOf(name, 0);
        if (first < 0)
        {
            Add(name, value);
            return;
        }

        _entries[first] = new HeaderEntry { Id = Identify(name), Name = name, Value = value, RawStart = -1 };
        for (var index = IndexOf(name, first + 1); index >= 0; index = IndexOf(name, index))
        {
            RemoveAt(index);
        }

        Version++;
    }

    public int Remove(string name)
    {
        var removed = 0;
        for (var index = IndexOf(name, 0); index >= 0; index = IndexOf(name, index))
        {
            RemoveAt(index);
            removed++;
        }

        return removed;
    }

    /// <summary>
    /// Replaces the first value of the header. For a list header whose first line carries several values
    /// ("Via: a, b"), only the first element is replaced and the rest kept.
    /// </summary>
    public void ReplaceFirst(HeaderId id, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < _count; i++)
        {
            if (_entries[i].Id != id) continue;
            var newValue = value;
            if (HeaderNames.IsList(id))
            {
                var elements = new List<string>();
                SipSyntax.SplitList(ValueAt(i), elements);
                if (elements.Count > 1)
                {
                    elements[0] = value;
                    newValue = string.Join(", ", elements);
                }
            }

            _entries[i] = new HeaderEntry { Id = id, Name = NameAt(i), Value = newValue, RawStart = -1 };
            Version++;
            return;
        }

        throw new InvalidOperationException($"No {CanonicalName(id)} header to replace.");
    }

    public static HeaderId Identify(ReadOnlySpan<byte> name) => HeaderNames.Identify(name);

    public static HeaderId Identify(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return HeaderNames.Identify(name.AsSpan());
    }

    public static string CanonicalName(HeaderId id) => HeaderNames.GetCanonical(id);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return new(NameAt(i), ValueAt(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Appends an entry read off the wire; the parser has already validated the name.</summary>
    internal void AddRaw(in HeaderEntry entry)
    {
        if (_count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        _entries[_count++] = entry;
    }

    internal ref HeaderEntry LastEntry => ref _entries[_count - 1];

    /// <summary>Name as it should be written: canonical for known headers, as given/received otherwise.</summary>
    internal string NameAt(int index)
    {
        ref var e = ref _entries[index];
        if (e.Name is not null) return e.Name;
        if (e.Id != HeaderId.Unknown) return HeaderNames.GetCanonical(e.Id);
        return e.Name = Encoding.ASCII.GetString(_buffer!, e.RawStart, e.NameLength);
    }

    internal string ValueAt(int index)
    {
        ref var e = ref _entries[index];
        return e.Value ??= Materialise(e);
    }

    internal ReadOnlySpan<byte> RawValue(in HeaderEntry e) => _buffer.AsSpan(e.ValueStart, e.ValueLength);

    internal ReadOnlySpan<byte> RawLine(in HeaderEntry e) => _buffer.AsSpan(e.RawStart, e.RawLength);

    private string Materialise(in HeaderEntry e)
    {
        var raw = _buffer.AsSpan(e.ValueStart, e.ValueLength);
        if (!e.Folded) return Encoding.UTF8.GetString(raw);

        // Unfold: each CRLF plus the white space around it becomes one SP (RFC 3261 §7.3.1).
        var unfolded = raw.Length <= 1024 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b is (byte)'\r' or (byte)'\n')
            {
                while (n > 0 && SipSyntax.IsWsp(unfolded[n - 1])) n--;
                while (i + 1 < raw.Length && SipSyntax.IsLws(raw[i + 1])) i++;
                unfolded[n++] = (byte)' ';
                continue;
            }

            unfolded[n++] = b;
        }

        return Encoding.UTF8.GetString(unfolded[..n]);
    }

    private int IndexOf(string name, int start)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = Identify(name);
        for (var i = start; i < _count; i++)
        {
            if (id != HeaderId.Unknown)
            {
                if (_entries[i].Id == id) return i;
            }
            else if (_entries[i].Id == HeaderId.Unknown && HeaderNames.SameUnknown(NameAt(i), name))
            {
                return i;
            }
        }

        return -1;
    }

    private void RemoveAt(int index)
    {
        _count--;
        Array.Copy(_entries, index + 1, _entries, index, _count - index);
        _entries[_count] = default;
        Version++;
    }
}
