using Intake.Media.Codecs;
using NAudio.Codecs;

namespace Intake.Media.Tests.Codecs;

public sealed class G711Tests
{
    [Fact]
    public void Encode_AllSamples_MatchesNAudioReference()
    {
        var samples = new short[65536];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(i - 32768);
        }

        var mu = new byte[samples.Length];
        var a = new byte[samples.Length];
        G711.Encode(AudioEncoding.Pcmu, samples, mu);
        G711.Encode(AudioEncoding.Pcma, samples, a);

        for (var i = 0; i < samples.Length; i += 97)
        {
            Assert.Equal(MuLawEncoder.LinearToMuLawSample(samples[i]), mu[i]);
            Assert.Equal(ALawEncoder.LinearToALawSample(samples[i]), a[i]);
        }
    }

    [Theory]
    [InlineData(AudioEncoding.Pcmu)]
    [InlineData(AudioEncoding.Pcma)]
    public void DecodeThenEncode_EveryCodeword_RoundTrips(AudioEncoding encoding)
    {
        var codes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var linear = new short[256];
        var again = new byte[256];

        G711.Decode(encoding, codes, linear);
        G711.Encode(encoding, linear, again);

        // µ-law has two codes for zero (0x7F and 0xFF); every other code word must survive.
        for (var i = 0; i < 256; i++)
        {
            if (linear[i] != 0)
            {
                Assert.Equal(codes[i], again[i]);
            }
        }
    }

    [Theory]
    [InlineData(AudioEncoding.Pcmu)]
    [InlineData(AudioEncoding.Pcma)]
    public void EncodeThenDecode_SineWave_ErrorWithinQuantization(AudioEncoding encoding)
    {
        var samples = Enumerable.Range(0, 160).Select(i => (short)(12000 * Math.Sin(i * 2 * Math.PI / 20))).ToArray();
        var encoded = new byte[160];
        var decoded = new short[160];

        G711.Encode(encoding, samples, encoded);
        G711.Decode(encoding, encoded, decoded);

        for (var i = 0; i < samples.Length; i++)
        {
            Assert.InRange(Math.Abs(samples[i] - decoded[i]), 0, (Math.Abs((int)samples[i]) / 16) + 16);
        }
    }

    [Fact]
    public void Transcode_MuLawToALawAndBack_PreservesSignal()
    {
        var samples = Enumerable.Range(0, 160).Select(i => (short)(8000 * Math.Sin(i * 2 * Math.PI / 40))).ToArray();
        var mu = new byte[160];
        var a = new byte[160];
        var back = new byte[160];
        var decoded = new short[160];
        G711.Encode(AudioEncoding.Pcmu, samples, mu);

        G711.Transcode(AudioEncoding.Pcmu, AudioEncoding.Pcma, mu, a);
        G711.Transcode(AudioEncoding.Pcma, AudioEncoding.Pcmu, a, back);
        G711.Decode(AudioEncoding.Pcmu, back, decoded);

        for (var i = 0; i < samples.Length; i++)
        {
            Assert.InRange(Math.Abs(samples[i] - decoded[i]), 0, (Math.Abs((int)samples[i]) / 8) + 32);
        }
    }

    [Fact]
    public void SilenceByte_IsStandardIdleCode()
    {
        Assert.Equal(0xFF, G711.SilenceByte(AudioEncoding.Pcmu));
        Assert.Equal(0xD5, G711.SilenceByte(AudioEncoding.Pcma));
    }
}
