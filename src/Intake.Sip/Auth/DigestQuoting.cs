using System.Text;

namespace Intake.Sip.Auth;

/// <summary>Writes auth-params; quoting escapes '"' and '\' as quoted-pair (RFC 3261 §25.1).</summary>
internal static class DigestQuoting
{
    public static void AppendQuoted(StringBuilder builder, string name, string value, bool first = false)
    {
        if (!first)
        {
            builder.Append(", ");
        }

        builder.Append(name).Append("=\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }

    public static void AppendToken(StringBuilder builder, string name, string value)
    {
        builder.Append(", ").Append(name).Append('=').Append(value);
    }
}
