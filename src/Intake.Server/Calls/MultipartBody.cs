using System.Text;

namespace Intake.Server.Calls;

/// <summary>A minimal MIME multipart reader (RFC 2046 §5.1) for SIP bodies: SDP beside a PIDF-LO location object.</summary>
public static class MultipartBody
{
    public sealed record Part(string? ContentType, string? ContentId, ReadOnlyMemory<byte> Body);

    /// <summary>The parts of a multipart body; malformed input yields the parts that could be read, never an exception.</summary>
    public static IReadOnlyList<Part> Parse(string contentType, ReadOnlyMemory<byte> body)
    {
        var boundary = BoundaryOf(contentType);
        if (boundary is null)
        {
            return [];
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var span = body.Span;
        var parts = new List<Part>();
        var start = IndexOf(span, delimiter, 0);
        while (start >= 0 && parts.Count < 16)
        {
            var afterDelimiter = start + delimiter.Length;
            if (afterDelimiter + 1 < span.Length && span[afterDelimiter] == '-' && span[afterDelimiter + 1] == '-')
            {
                break; // close delimiter
            }

            var next = IndexOf(span, delimiter, afterDelimiter);
            if (next < 0)
            {
                break;
            }

            var partStart = SkipLineEnd(span, afterDelimiter);
            var partEnd = next;
            // The CRLF before a delimiter belongs to the delimiter.
            if (partEnd >= 2 && span[partEnd - 2] == '\r' && span[partEnd - 1] == '\n')
            {
                partEnd -= 2;
            }
            else if (partEnd >= 1 && span[partEnd - 1] == '\n')
            {
                partEnd -= 1;
            }

            if (partEnd > partStart)
            {
                parts.Add(ParsePart(body.Slice(partStart, partEnd - partStart)));
            }

            start = next;
        }

        return parts;
    }

    private static Part ParsePart(ReadOnlyMemory<byte> part)
    {
        var span = part.Span;
        string? type = null;
        string? id = null;
        var position = 0;
        while (position < span.Length)
        {
            var lineEnd = span[position..].IndexOf((byte)'\n');
            var line = lineEnd < 0 ? span[position..] : span.Slice(position, lineEnd);
            var next = lineEnd < 0 ? span.Length : position + lineEnd + 1;
            var text = Encoding.UTF8.GetString(line).TrimEnd('\r');
            if (text.Length == 0)
            {
                return new Part(type, id, part[next..]);
            }

            var colon = text.IndexOf(':');
            if (colon > 0)
            {
                var name = text[..colon].Trim();
                var value = text[(colon + 1)..].Trim();
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("c", StringComparison.OrdinalIgnoreCase))
                {
                    type = value;
                }
                else if (name.Equals("Content-ID", StringComparison.OrdinalIgnoreCase))
                {
                    id = value.Trim('<', '>');
                }
            }

            position = next;
        }

        // No blank line: a part without headers is text/plain per RFC 2046, with the bytes as its body.
        return new Part(type, id, part);
    }

    private static string? BoundaryOf(string contentType)
    {
        foreach (var parameter in contentType.Split(';').Skip(1))
        {
            var eq = parameter.IndexOf('=');
            if (eq > 0 && parameter[..eq].Trim().Equals("boundary", StringComparison.OrdinalIgnoreCase))
            {
                var value = parameter[(eq + 1)..].Trim().Trim('"');
                return value.Length is > 0 and <= 70 ? value : null;
            }
        }

        return null;
    }

    private static int SkipLineEnd(ReadOnlySpan<byte> span, int index)
    {
        while (index < span.Length && span[index] is (byte)' ' or (byte)'\t')
        {
            index++;
        }

        if (index < span.Length && span[index] == '\r')
        {
            index++;
        }

        if (index < span.Length && span[index] == '\n')
        {
            index++;
        }

        return index;
    }

    private static int IndexOf(ReadOnlySpan<byte> span, ReadOnlySpan<byte> value, int from)
    {
        if (from >= span.Length)
        {
            return -1;
        }

        var found = span[from..].IndexOf(value);
        return found < 0 ? -1 : from + found;
    }
}
