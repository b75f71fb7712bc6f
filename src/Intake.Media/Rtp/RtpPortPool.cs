namespace Intake.Media.Rtp;

/// <summary>
/// Hands out even RTP ports in [PortMin, PortMax] (RTCP uses port + 1). Released ports go to
/// the back of the queue, so the port handed out next is the one released longest ago: a
/// late packet of a finished call is then unlikely to reach the next call. Thread-safe.
/// </summary>
public sealed class RtpPortPool
{
    private readonly Lock _gate = new();
    private readonly Queue<int> _free = new();
    private readonly HashSet<int> _leased = [];

    /// <summary>Creates the pool. The range must contain at least one even port whose pair fits.</summary>
    public RtpPortPool(int portMin, int portMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(portMin, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(portMax, 65535);
        var first = portMin + (portMin & 1);
        if (first + 1 > portMax)
        {
            throw new ArgumentException($"Rtp port range {portMin}..{portMax} holds no even RTP/RTCP pair.", nameof(portMax));
        }

        PortMin = portMin;
        PortMax = portMax;
        for (var port = first; port + 1 <= portMax; port += 2)
        {
            _free.Enqueue(port);
        }

        Capacity = _free.Count;
    }

    /// <summary>Lowest port of the range.</summary>
    public int PortMin { get; }

    /// <summary>Highest port of the range.</summary>
    public int PortMax { get; }

    /// <summary>Number of RTP/RTCP pairs in the range.</summary>
    public int Capacity { get; }

    /// <summary>Pairs currently leased.</summary>
    public int LeasedCount
    {
        get
        {
            lock (_gate)
            {
                return _leased.Count;
            }
        }
    }

    /// <summary>Takes the least recently released even port; false when all are leased.</summary>
    public bool TryAcquire(out int rtpPort)
    {
        lock (_gate)
        {
            if (_free.TryDequeue(out rtpPort))
            {
                _leased.Add(rtpPort);
                return true;
            }

            return false;
        }
    }

    /// <summary>Returns a port to the back of the queue. Unknown or already released ports are ignored.</summary>
    public void Release(int rtpPort)
    {
        lock (_gate)
        {
            if (_leased.Remove(rtpPort))
            {
                _free.Enqueue(rtpPort);
            }
        }
    }
}
