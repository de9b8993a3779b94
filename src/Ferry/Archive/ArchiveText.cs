using System.Text;

namespace Ferry.Archive;

/// <summary>
/// Text that came from an archive (names, values, messages of a server), made safe to show: quoted, every
/// control character escaped (a hostile name must not move the cursor or recolour a terminal), cut when long.
/// </summary>
public static class ArchiveText
{
    private const int MaxShown = 80;

    /// <summary><c>'name'</c>, with control characters as <c>\u001b</c> and at most 80 characters.</summary>
    public static string Show(string? text)
    {
        if (text is null)
        {
            return "null";
        }

        return "'" + Clean(text.Length > MaxShown ? text[..MaxShown] : text) + (text.Length > MaxShown ? "...'" : "'");
    }

    /// <summary>The text with every control character (C0, DEL, C1) written as <c>\uXXXX</c>; unchanged when it has none.</summary>
    public static string Clean(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\u001f') && !text.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c < ' ' || c is >= '\u007f' and <= '\u009f')
            {
                clean.Append(@"\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }
}
