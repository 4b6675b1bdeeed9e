namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>The files of one throwaway Prosody, all inside its own temporary directory.</summary>
internal sealed class ProsodyServerLayout
{
    public ProsodyServerLayout(string root, string domain)
    {
        Root = root;
        ConfigFile = Path.Combine(root, "prosody.cfg.lua");
        PidFile = Path.Combine(root, "prosody.pid");
        LogFile = Path.Combine(root, "prosody.log");
        DataDirectory = Path.Combine(root, "data");
        CertificateDirectory = Path.Combine(root, "certs");
        CertificateFile = Path.Combine(CertificateDirectory, domain + ".crt");
        PrivateKeyFile = Path.Combine(CertificateDirectory, domain + ".key");
    }

    public string Root { get; }

    public string ConfigFile { get; }

    public string PidFile { get; }

    public string LogFile { get; }

    public string DataDirectory { get; }

    public string CertificateDirectory { get; }

    public string CertificateFile { get; }

    public string PrivateKeyFile { get; }

    /// <summary>Creates the directory tree and writes the certificate and its key (readable by the owner only).</summary>
    public void Create(TestServerCertificate certificate)
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(CertificateDirectory);
        File.WriteAllText(CertificateFile, certificate.CertificatePem);
        File.WriteAllText(PrivateKeyFile, certificate.PrivateKeyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PrivateKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
