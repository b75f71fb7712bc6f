namespace Intake.Sip.Auth;

/// <summary>
/// Remembers the highest nonce-count accepted per nonce so that a captured Authorization header cannot
/// be replayed (RFC 7616 §3.4, §5.11). Memory is bounded: entries die with their nonce, and when the
/// table is full the oldest entry is evicted and every nonce issued up to it is thereafter treated as
/// spent, so eviction can force a re-challenge but never opens a replay window.
/// </summary>
public sealed class NonceCountTracker
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;
    private DateTimeOffset _evictedUpTo = DateTimeOffset.MinValue;

    public NonceCountTracker(int capacity, TimeSpan nonceLifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _lifetime = nonceLifetime;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Records nonceCount for the nonce if it is higher than any seen before; false means replay (or a
    /// nonce whose history was evicted). Call only after the response was verified, otherwise anyone
    /// could burn a victim's counts with forged requests.
    /// </summary>
    public bool TryAdvance(string nonce, DateTimeOffset issuedAt, uint nonceCount, DateTimeOffset now)
    {
        lock (_lock)
        {
            PruneExpired(now);
            if (_entries.TryGetValue(nonce, out var entry))
            {
                if (nonceCount <= entry.HighestCount)
                {
                    return false;
                }

                _entries[nonce] = entry with { HighestCount = nonceCount };
                return true;
            }

            if (issuedAt <= _evictedUpTo)
            {
                return false;
            }

            while (_entries.Count >= _capacity && _order.TryDequeue(out var oldest))
            {
                if (_entries.Remove(oldest, out var evicted) && evicted.IssuedAt > _evictedUpTo)
                {
                    _evictedUpTo = evicted.IssuedAt;
                }
            }

            if (issuedAt <= _evictedUpTo)
            {
                return false;
            }

            _entries[nonce] = new Entry(nonceCount, issuedAt);
            _order.Enqueue(nonce);
            return true;
        }
    }

    private void PruneExpired(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest))
        {
            if (_entries.TryGetValue(oldest, out var entry) && now - entry.IssuedAt <= _lifetime)
            {
                return;
            }

            _order.Dequeue();
            _entries.Remove(oldest);
        }
    }

    private readonly record struct Entry(uint HighestCount, DateTimeOffset IssuedAt);
}
