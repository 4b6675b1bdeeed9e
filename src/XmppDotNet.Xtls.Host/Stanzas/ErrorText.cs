using System.Xml;

namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>Checks shared by the stanza and stream error models.</summary>
internal static class ErrorText
{
    /// <summary>Returns the text if XML can carry it (or it is <c>null</c>).</summary>
    /// <exception cref="ArgumentException">The text has characters XML 1.0 forbids.</exception>
    public static string? RequireXmlText(string? text, string name)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            XmlConvert.VerifyXmlChars(text);
        }
        catch (XmlException e)
        {
            throw new ArgumentException("The text contains characters XML cannot carry.", name, e);
        }

        return text;
    }
}
