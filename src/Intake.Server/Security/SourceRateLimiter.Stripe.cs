namespace Intake.Server.Security;

public sealed partial class SourceRateLimiter
{
    /// <summary>
    /// One lock, one dictionary and one recency list (newest first, intrusive so that moving an entry allocates
    /// nothing). Idle entries are dropped from the old end on every call, so the sweep costs nothing extra.
    /// </summary>
    private sealed class Stripe(int capacity)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<UInt128, Entry> _entries = new(KeyComparer.Instance);
        private Entry? _newest;
        private Entry? _oldest;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _entries.Count;
                }
            }
        }

        public bool TryAcquire(UInt128 key, BucketShape shape, int classIndex, long now, long idleTicks)
        {
            lock (_gate)
            {
                RemoveIdle(now, idleTicks);
                if (_entries.TryGetValue(key, out var entry))
                {
                    Unlink(entry);
                }
                else
                {
                    if (_entries.Count >= capacity && _oldest is { } evicted)
                    {
                        // Reuse the evicted entry so that a flood of spoofed sources does not churn the heap.
                        Unlink(evicted);
                        _entries.Remove(evicted.Key);
                        entry = evicted;
                    }
                    else
                    {
                        entry = new Entry();
                    }

                    entry.Reset(key);
                    _entries.Add(key, entry);
                }

                LinkAsNewest(entry);
                entry.LastSeen = now;
                ref var bucket = ref entry.Bucket(classIndex);
                return bucket.TryTake(shape, now);
            }
        }

        public int ForgetIdle(long now, long idleTicks)
        {
            lock (_gate)
            {
                return RemoveIdle(now, idleTicks);
            }
        }

        private int RemoveIdle(long now, long idleTicks)
        {
            var removed = 0;
            while (_oldest is { } oldest && now - oldest.LastSeen >= idleTicks)
            {
                Unlink(oldest);
                _entries.Remove(oldest.Key);
                removed++;
            }

            return removed;
        }

        private void LinkAsNewest(Entry entry)
        {
            entry.Older = _newest;
            entry.Newer = null;
            if (_newest is not null)
            {
                _newest.Newer = entry;
            }

            _newest = entry;
            _oldest ??= entry;
        }

        private void Unlink(Entry entry)
        {
            if (entry.Newer is null)
            {
                _newest = entry.Older;
            }
            else
            {
                entry.Newer.Older = entry.Older;
            }

            if (entry.Older is null)
            {
                _oldest = entry.Newer;
            }
            else
            {
                entry.Older.Newer = entry.Newer;
            }

            entry.Newer = null;
            entry.Older = null;
        }
    }

    private sealed class Entry
    {
        private TokenBucket _register;
        private TokenBucket _options;
        private TokenBucket _other;

        public UInt128 Key { get; private set; }

        public long LastSeen { get; set; }

        public Entry? Newer { get; set; }

        public Entry? Older { get; set; }

        public void Reset(UInt128 key)
        {
            Key = key;
            _register = TokenBucket.Fresh;
            _options = TokenBucket.Fresh;
            _other = TokenBucket.Fresh;
        }

        public ref TokenBucket Bucket(int classIndex)
        {
            switch (classIndex)
            {
                case (int)TrafficClass.Register:
                    return ref _register;
                case (int)TrafficClass.Options:
                    return ref _options;
                default:
                    return ref _other;
            }
        }
    }

    /// <summary>Tokens and when they were last counted; a fresh bucket is full, whatever its shape.</summary>
    private struct TokenBucket
    {
        public static readonly TokenBucket Fresh = new() { _isFresh = true };

        private double _tokens;
        private long _stamp;
        private bool _isFresh;

        public bool TryTake(BucketShape shape, long now)
        {
            if (_isFresh)
            {
                _tokens = shape.Burst;
                _isFresh = false;
            }
            else
            {
                var elapsed = Math.Max(0, now - _stamp);
                _tokens = Math.Min(shape.Burst, _tokens + (elapsed * shape.TokensPerTick));
            }

            _stamp = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
