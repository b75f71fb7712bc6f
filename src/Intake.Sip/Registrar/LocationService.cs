namespace Intake.Sip.Registrar;

/// <summary>
/// The location service of RFC 3261 §10: bindings per address-of-record. Updates for one AOR are applied
/// atomically (all or nothing, §10.3 step 8). Expired bindings stop being returned at once and are removed
/// by <see cref="SweepExpired"/>. Thread-safe; events are raised outside the lock.
/// </summary>
public sealed class LocationService
{
    private readonly Dictionary<string, List<RegistrationBinding>> _bindings = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _maxContactsPerAor;

    public LocationService(TimeProvider timeProvider, int maxContactsPerAor = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxContactsPerAor, 1);
        _timeProvider = timeProvider;
        _maxContactsPerAor = maxContactsPerAor;
    }

    /// <summary>Raised by the sweep for each binding that lapsed without refresh.</summary>
    public event EventHandler<BindingEventArgs>? BindingExpired;

    /// <summary>Raised when keep-alive probing changes a binding's reachability.</summary>
    public event EventHandler<BindingEventArgs>? BindingReachabilityChanged;

    /// <summary>Current (unexpired) contacts of the AOR, most preferred (highest q) first.</summary>
    public IReadOnlyList<RegistrationBinding> GetBindings(string aor)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return _bindings.TryGetValue(aor, out var list) ? Current(list, now) : [];
        }
    }

    /// <summary>Every unexpired binding of every AOR (for keep-alive probing and status pages).</summary>
    public IReadOnlyList<RegistrationBinding> GetAllBindings()
    {
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return _bindings.Values.SelectMany(list => list).Where(b => b.ExpiresAt > now).ToArray();
        }
    }

    /// <summary>Restores persisted bindings at start; bindings already expired are skipped.</summary>
    public int Restore(IEnumerable<RegistrationBinding> bindings)
    {
        var now = _timeProvider.GetUtcNow();
        var restored = 0;
        lock (_lock)
        {
            foreach (var binding in bindings)
            {
                if (binding.ExpiresAt <= now)
                {
                    continue;
                }

                var list = GetOrCreate(binding.Aor);
                list.RemoveAll(b => b.Key == binding.Key);
                list.Add(binding);
                restored++;
            }
        }

        return restored;
    }

    /// <summary>
    /// Applies one REGISTER's contact updates (or, with removeAll, the "Contact: *" removal) to an AOR.
    /// Follows RFC 3261 §10.3 step 7: an existing binding with the same Call-ID and an equal or higher CSeq
    /// aborts the whole request.
    /// </summary>
    public BindingApplyStatus Apply(
        string aor, IReadOnlyList<BindingUpdate> updates, bool removeAll, RegisterRequestContext request, out RegistrationChange change)
    {
        var now = _timeProvider.GetUtcNow();
        var added = new List<RegistrationBinding>();
        var refreshed = new List<RegistrationBinding>();
        var removed = new List<RegistrationBinding>();
        var lapsed = new List<RegistrationBinding>();
        BindingApplyStatus status;
        lock (_lock)
        {
            var list = GetOrCreate(aor);

            // Bindings that lapsed before the sweep saw them count as absent (§10.3 step 7), yet still get their event.
            lapsed.AddRange(list.Where(b => b.ExpiresAt <= now));
            list.RemoveAll(b => b.ExpiresAt <= now);
            status = ApplyLocked(aor, list, updates, removeAll, request, now, added, refreshed, removed, out change);
        }

        foreach (var binding in lapsed)
        {
            BindingExpired?.Invoke(this, new BindingEventArgs(binding));
        }

        return status;
    }

    private BindingApplyStatus ApplyLocked(
        string aor, List<RegistrationBinding> list, IReadOnlyList<BindingUpdate> updates, bool removeAll, RegisterRequestContext request,
        DateTimeOffset now, List<RegistrationBinding> added, List<RegistrationBinding> refreshed, List<RegistrationBinding> removed,
        out RegistrationChange change)
    {
        var working = new List<RegistrationBinding>(list);
        if (removeAll)
        {
            if (working.Any(b => IsOutOfOrder(b, request)))
            {
                change = Unchanged(aor, list, now);
                return BindingApplyStatus.OutOfOrder;
            }

            removed.AddRange(working);
            working.Clear();
        }

        foreach (var update in updates)
        {
            var index = working.FindIndex(b => Matches(b, update));
            if (index >= 0 && IsOutOfOrder(working[index], request))
            {
                change = Unchanged(aor, list, now);
                return BindingApplyStatus.OutOfOrder;
            }

            if (update.Expires <= TimeSpan.Zero)
            {
                if (index >= 0)
                {
                    removed.Add(working[index]);
                    working.RemoveAt(index);
                }

                continue;
            }

            var binding = Create(aor, update, request, now, index >= 0 ? working[index].RegisteredAt : now);
            if (index >= 0)
            {
                // A contact listed twice in one request is still one addition, not an addition and a refresh.
                var previous = working[index];
                working[index] = binding;
                var addedIndex = added.IndexOf(previous);
                if (addedIndex >= 0)
                {
                    added[addedIndex] = binding;
                }
                else
                {
                    refreshed.Remove(previous);
                    refreshed.Add(binding);
                }
            }
            else
            {
                working.Add(binding);
                added.Add(binding);
            }
        }

        if (working.Count > _maxContactsPerAor)
        {
            change = Unchanged(aor, list, now);
            return BindingApplyStatus.TooManyContacts;
        }

        list.Clear();
        list.AddRange(working);
        if (list.Count == 0)
        {
            _bindings.Remove(aor);
        }

        change = new RegistrationChange(aor, added, refreshed, removed, Current(list, now));
        return BindingApplyStatus.Applied;
    }

    /// <summary>Removes lapsed bindings, raises BindingExpired for each, and returns them.</summary>
    public IReadOnlyList<RegistrationBinding> SweepExpired()
    {
        var now = _timeProvider.GetUtcNow();
        var expired = new List<RegistrationBinding>();
        lock (_lock)
        {
            foreach (var (aor, list) in _bindings)
            {
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (list[i].ExpiresAt <= now)
                    {
                        expired.Add(list[i]);
                        list.RemoveAt(i);
                    }
                }

                if (list.Count == 0)
                {
                    _bindings.Remove(aor);
                }
            }
        }

        foreach (var binding in expired)
        {
            BindingExpired?.Invoke(this, new BindingEventArgs(binding));
        }

        return expired;
    }

    /// <summary>Sets reachability of the binding with the same AOR and key; false if it is gone or unchanged.</summary>
    public bool SetReachable(RegistrationBinding binding, bool reachable)
    {
        RegistrationBinding? updated = null;
        lock (_lock)
        {
            if (_bindings.TryGetValue(binding.Aor, out var list))
            {
                var index = list.FindIndex(b => b.Key == binding.Key);
                if (index >= 0 && list[index].IsReachable != reachable)
                {
                    updated = list[index] with { IsReachable = reachable };
                    list[index] = updated;
                }
            }
        }

        if (updated is null)
        {
            return false;
        }

        BindingReachabilityChanged?.Invoke(this, new BindingEventArgs(updated));
        return true;
    }

    private List<RegistrationBinding> GetOrCreate(string aor)
    {
        if (!_bindings.TryGetValue(aor, out var list))
        {
            list = [];
            _bindings[aor] = list;
        }

        return list;
    }

    private static bool Matches(RegistrationBinding binding, BindingUpdate update) =>
        update.InstanceId is not null
            ? string.Equals(binding.InstanceId, update.InstanceId, StringComparison.Ordinal)
                && string.Equals(binding.RegId, update.RegId, StringComparison.Ordinal)
            : binding.InstanceId is null && binding.Contact.Uri.Equals(update.Contact.Uri);

    private static bool IsOutOfOrder(RegistrationBinding binding, RegisterRequestContext request) =>
        string.Equals(binding.CallId, request.CallId, StringComparison.Ordinal) && request.CSeq <= binding.CSeq;

    private static RegistrationBinding Create(
        string aor, BindingUpdate update, RegisterRequestContext request, DateTimeOffset now, DateTimeOffset registeredAt) => new()
    {
        Aor = aor,
        Contact = update.Contact,
        InstanceId = update.InstanceId,
        RegId = update.RegId,
        Q = update.Q,
        CallId = request.CallId,
        CSeq = request.CSeq,
        RegisteredAt = registeredAt,
        UpdatedAt = now,
        ExpiresAt = now + update.Expires,
        Source = request.Source.RemoteEndPoint,
        Transport = request.Source.Transport,
        ConnectionId = request.Source.ConnectionId,
        UserAgent = request.UserAgent,
    };

    private static RegistrationChange Unchanged(string aor, List<RegistrationBinding> list, DateTimeOffset now) =>
        new(aor, [], [], [], Current(list, now));

    private static RegistrationBinding[] Current(List<RegistrationBinding> list, DateTimeOffset now) =>
        list.Where(b => b.ExpiresAt > now).OrderByDescending(b => b.Q ?? 1.0).ToArray();
}
