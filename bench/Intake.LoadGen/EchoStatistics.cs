namespace Intake.LoadGen;

/// <summary>
/// What the operator-side echo saw of one call's tagged audio: counted from the first tagged packet that reached it
/// (bridge start), how many arrived and how many were sent back. With the caller's side (<see cref="ReturnStatistics"/>)
/// this splits the round trip into its two passes through the server. Written on one thread; read after it stopped.
/// </summary>
internal sealed class EchoStatistics
{
    /// <summary>Counter of the first tagged packet that reached the echo; -1 before.</summary>
    public int FirstCounter { get; private set; } = -1;

    /// <summary>Tagged packets received at or after <see cref="FirstCounter"/>.</summary>
    public long ReceivedSinceFirst { get; private set; }

    /// <summary>Of those, the ones sent back without error.</summary>
    public long EchoedSinceFirst { get; private set; }

    /// <summary>One tagged packet of this call reached the echo; <paramref name="echoed"/> tells whether it went back.</summary>
    public void OnTagged(int counter, bool echoed)
    {
        if (FirstCounter < 0)
        {
            FirstCounter = counter;
        }

        if (counter < FirstCounter)
        {
            return;
        }

        ReceivedSinceFirst++;
        if (echoed)
        {
            EchoedSinceFirst++;
        }
    }

    /// <summary>Packets the server should have relayed to the operator since bridge start, given how many the call sent.</summary>
    public long ExpectedSinceFirst(long sent) => FirstCounter < 0 ? 0 : Math.Max(0, sent - FirstCounter);
}
