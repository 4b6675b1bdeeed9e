using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using XmppDotNet.Xtls.Demo.Cli;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>Loads the one server certificate that <c>--server-cert</c> pins.</summary>
internal static class ServerCertificateFile
{
    private const int MaxBytes = 1 << 20;

    /// <summary>Loads a PEM or DER certificate.</summary>
    /// <exception cref="ProgramFailure">The file cannot be read or holds no certificate (exit code 2).</exception>
    public static X509Certificate2 Load(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw ProgramFailure.Usage($"--server-cert '{path}' does not exist");
            }

            if (info.Length > MaxBytes)
            {
                throw ProgramFailure.Usage($"--server-cert '{path}' is larger than {MaxBytes} bytes");
            }

            byte[] content = File.ReadAllBytes(path);
            string text = Encoding.ASCII.GetString(content);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw ProgramFailure.Usage($"--server-cert '{path}' is not a readable certificate: {e.Message}", e);
        }
    }
}
