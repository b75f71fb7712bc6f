using System.Text;

namespace Intake.LoadGen;

/// <summary>
/// Follows the file SIPp's log action writes (-trace_logs -log_file): returns the announcements of the complete lines
/// added since the last call. The file may not exist yet when the generator starts.
/// </summary>
internal sealed class AnnouncementReader : IDisposable
{
    private const int MaxLineBytes = 4096;

    private readonly string _path;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly List<byte> _partial = [];
    private FileStream? _stream;

    public AnnouncementReader(string path) => _path = path;

    /// <summary>Lines that were complete but not announcements (SIPp's own messages, bad input).</summary>
    public long IgnoredLines { get; private set; }

    /// <summary>Appends every announcement that arrived since the previous call to <paramref name="into"/>.</summary>
    public void ReadNew(List<Announcement> into)
    {
        if (_stream is null)
        {
            if (!File.Exists(_path))
            {
                return;
            }

            try
            {
                _stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (IOException)
            {
                return;
            }
        }

        int read;
        while ((read = _stream.Read(_buffer, 0, _buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (_buffer[i] != (byte)'\n')
                {
                    continue;
                }

                _partial.AddRange(_buffer.AsSpan(start, i - start));
                Take(into);
                start = i + 1;
            }

            _partial.AddRange(_buffer.AsSpan(start, read - start));
            if (_partial.Count > MaxLineBytes)
            {
                // not ours: a line that long is no announcement; drop it rather than grow without bound
                _partial.Clear();
                IgnoredLines++;
            }
        }
    }

    public void Dispose() => _stream?.Dispose();

    private void Take(List<Announcement> into)
    {
        var line = Encoding.ASCII.GetString([.. _partial]).TrimEnd('\r');
        _partial.Clear();
        if (line.Length == 0)
        {
            return;
        }

        if (Announcement.TryParse(line, out var announcement))
        {
            into.Add(announcement);
        }
        else
        {
            IgnoredLines++;
        }
    }
}
