using NAudio.Codecs;

namespace Intake.Media.Codecs;

/// <summary>
/// Table-driven G.711. The tables are computed once from NAudio's reference codecs, so the
/// values are NAudio's while the per-sample cost is a single array lookup.
/// </summary>
public static class G711
{
    /// <summary>Samples per 20 ms frame at 8 kHz.</summary>
    public const int SamplesPerFrame = 160;

    /// <summary>RTP clock rate of G.711 and telephone-event.</summary>
    public const int ClockRate = 8000;

    private static readonly short[] s_muLawToLinear = BuildDecodeTable(MuLawDecoder.MuLawToLinearSample);
    private static readonly short[] s_aLawToLinear = BuildDecodeTable(ALawDecoder.ALawToLinearSample);
    private static readonly byte[] s_linearToMuLaw = BuildEncodeTable(MuLawEncoder.LinearToMuLawSample);
    private static readonly byte[] s_linearToALaw = BuildEncodeTable(ALawEncoder.LinearToALawSample);
    private static readonly byte[] s_muLawToALaw = BuildTranscodeTable(s_muLawToLinear, s_linearToALaw);
    private static readonly byte[] s_aLawToMuLaw = BuildTranscodeTable(s_aLawToLinear, s_linearToMuLaw);

    /// <summary>The encoded byte of digital silence for the encoding.</summary>
    public static byte SilenceByte(AudioEncoding encoding) =>
        encoding == AudioEncoding.Pcmu ? s_linearToMuLaw[0] : s_linearToALaw[0];

    /// <summary>Decodes G.711 bytes into 16-bit linear samples; <paramref name="destination"/> must be at least as long.</summary>
    public static void Decode(AudioEncoding encoding, ReadOnlySpan<byte> source, Span<short> destination)
    {
        var table = encoding == AudioEncoding.Pcmu ? s_muLawToLinear : s_aLawToLinear;
        destination = destination[..source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    /// <summary>Encodes 16-bit linear samples into G.711 bytes; <paramref name="destination"/> must be at least as long.</summary>
    public static void Encode(AudioEncoding encoding, ReadOnlySpan<short> source, Span<byte> destination)
    {
        var table = encoding == AudioEncoding.Pcmu ? s_linearToMuLaw : s_linearToALaw;
        destination = destination[..source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[(ushort)source[i]];
        }
    }

    /// <summary>
    /// Converts between µ-law and A-law byte by byte (through linear PCM, as G.711 does not
    /// define a direct mapping). Same-encoding calls copy.
    /// </summary>
    public static void Transcode(AudioEncoding from, AudioEncoding to, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (from == to)
        {
            source.CopyTo(destination);
            return;
        }

        var table = from == AudioEncoding.Pcmu ? s_muLawToALaw : s_aLawToMuLaw;
        destination = destination[..source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    private static short[] BuildDecodeTable(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = decode((byte)i);
        }

        return table;
    }

    // Indexed by the sample's bit pattern as ushort so a negative short needs no offset arithmetic.
    private static byte[] BuildEncodeTable(Func<short, byte> encode)
    {
        var table = new byte[65536];
        for (var i = 0; i < 65536; i++)
        {
            table[i] = encode((short)(ushort)i);
        }

        return table;
    }

    private static byte[] BuildTranscodeTable(short[] decode, byte[] encode)
    {
        var table = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = encode[(ushort)decode[i]];
        }

        return table;
    }
}
