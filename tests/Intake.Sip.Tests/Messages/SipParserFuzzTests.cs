using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

/// <summary>Parse must never throw: random bytes, truncations and mutations of real messages all come back as results.</summary>
public sealed class SipParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "wsinv", "intmeth", "esc01", "escnull", "esc02", "longreq", "semiuri", "transports", "mpart01", "unreason",
        "noreason", "badinv01", "quotbal", "scalar02", "unksm2", "multi01",
    ];

    private static readonly byte[] Interesting = "\r\n \t:;,<>\"\\@[]%=?&/0-9aZ\0\u00ff"u8.ToArray();

    [Fact]
    public void Parse_TwentyThousandFuzzedInputs_NeverThrows()
    {
        var random = new Random(20240611);
        var corpus = Seeds.Select(s => TestMessages.Load("rfc4475", s))
            .Append(TestMessages.Load("rfc5118", "mult-ip-in-header"))
            .Append(TestMessages.Invite(body: "v=0\r\n"))
            .ToArray();
        var outcomes = new Dictionary<int, int>();

        for (var i = 0; i < 20_000; i++)
        {
            var input = Mutate(random, corpus[random.Next(corpus.Length)], i % 4);
            var result = SipParser.Parse(input);

            Assert.NotEqual(SipParser.UnexpectedFault, result.Error);
            Assert.Equal(result.Success, result.Message is not null);
            if (result.Success)
            {
                Touch(result.Message!);
            }

            outcomes[result.StatusCode] = outcomes.GetValueOrDefault(result.StatusCode) + 1;
        }

        // Both accepted and rejected inputs must have been produced for the run to mean anything.
        Assert.True(outcomes.GetValueOrDefault(0) > 100, "too few accepted inputs");
        Assert.True(outcomes.GetValueOrDefault(400) > 100, "too few rejected inputs");
    }

    private static byte[] Mutate(Random random, byte[] seed, int strategy)
    {
        switch (strategy)
        {
            case 0:
                var noise = new byte[random.Next(0, 600)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return seed[..random.Next(0, seed.Length + 1)];
            case 2:
                var copy = (byte[])seed.Clone();
                var flips = random.Next(1, 8);
                for (var f = 0; f < flips; f++)
                {
                    copy[random.Next(copy.Length)] = random.Next(2) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
                }

                return copy;
            default:
                var list = seed.ToList();
                var edits = random.Next(1, 5);
                for (var e = 0; e < edits && list.Count > 0; e++)
                {
                    var at = random.Next(list.Count);
                    if (random.Next(2) == 0) list.RemoveRange(at, Math.Min(random.Next(1, 20), list.Count - at));
                    else list.InsertRange(at, Enumerable.Repeat(Interesting[random.Next(Interesting.Length)], random.Next(1, 4)));
                }

                return [.. list];
        }
    }

    // Typed views and serialisation run on whatever the parser accepted; they must not throw either.
    private static void Touch(SipMessage message)
    {
        _ = message.Vias.Count + message.Contacts.Count + message.Routes.Count + message.RecordRoutes.Count;
        _ = (message.From?.Tag, message.To?.Uri.Host, message.CSeq, message.CallId, message.MaxForwards, message.Expires);
        if (message is SipRequest request) _ = request.RequestUri.ToString();
        var again = SipParser.Parse(message.ToBytes());
        Assert.True(again.Success, again.Error);
    }
}
