using System.Net;

namespace Intake.Sip.Transport;

/// <summary>
/// Live TCP and TLS connections indexed by id and by remote endpoint (protocol included), plus the admission counters behind the total and
/// per-source limits. A slot is reserved before a socket is wrapped so limits hold even while connections are being set up.
/// </summary>
internal sealed class SipTcpConnectionTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, SipTcpConnection> _byId = [];
    private readonly Dictionary<SipEndPoint, SipTcpConnection> _byRemote = [];
    private readonly Dictionary<IPAddress, int> _perSource = [];
    private readonly int _maxTotal;
    private readonly int _maxPerSource;
    private int _reserved;
    private long _lastId;

    public SipTcpConnectionTable(int maxTotal, int maxPerSource)
    {
        _maxTotal = maxTotal;
        _maxPerSource = maxPerSource;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Claims a slot for a connection with <paramref name="source"/>; per-source limits apply to inbound connections only.</summary>
    public bool TryReserve(IPAddress source, bool inbound, out string? rejection)
    {
        lock (_lock)
        {
            if (_reserved >= _maxTotal)
            {
                rejection = $"total connection limit {_maxTotal} reached";
                return false;
            }

            _perSource.TryGetValue(source, out var fromSource);
            if (inbound && fromSource >= _maxPerSource)
            {
                rejection = $"per-source connection limit {_maxPerSource} reached for {source}";
                return false;
            }

            _reserved++;
            _perSource[source] = fromSource + 1;
            rejection = null;
            return true;
        }
    }

    /// <summary>Gives back a slot that never became a registered connection.</summary>
    public void Unreserve(IPAddress source)
    {
        lock (_lock)
        {
            ReleaseSlot(source);
        }
    }

    public void Register(SipTcpConnection connection)
    {
        lock (_lock)
        {
            _byId[connection.Id] = connection;
            _byRemote[connection.Remote] = connection;
        }
    }

    /// <summary>Removes a registered connection and frees its slot.</summary>
    public void Remove(SipTcpConnection connection)
    {
        lock (_lock)
        {
            if (!_byId.Remove(connection.Id))
            {
                return;
            }

            ReleaseSlot(connection.Remote.Address.Address);
            if (_byRemote.TryGetValue(connection.Remote, out var mapped) && mapped == connection)
            {
                _byRemote.Remove(connection.Remote);
                foreach (var other in _byId.Values)
                {
                    if (other.IsAlive && other.Remote.Equals(connection.Remote))
                    {
                        _byRemote[other.Remote] = other;
                        break;
                    }
                }
            }
        }
    }

    public SipTcpConnection? FindById(long id)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(id, out var connection) && connection.IsAlive ? connection : null;
        }
    }

    /// <summary>A live connection to <paramref name="remote"/> over its protocol (TCP and TLS connections never stand in for each other).</summary>
    public SipTcpConnection? FindByRemote(SipEndPoint remote)
    {
        lock (_lock)
        {
            return _byRemote.TryGetValue(remote, out var connection) && connection.IsAlive ? connection : null;
        }
    }

    public SipTcpConnection[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _byId.Values];
        }
    }

    private void ReleaseSlot(IPAddress source)
    {
        _reserved--;
        if (_perSource.TryGetValue(source, out var count))
        {
            if (count <= 1)
            {
                _perSource.Remove(source);
            }
            else
            {
                _perSource[source] = count - 1;
            }
        }
    }
}
