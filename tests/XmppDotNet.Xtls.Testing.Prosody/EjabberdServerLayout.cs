namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>The files of one throwaway ejabberd, all inside its own temporary directory.</summary>
internal sealed class EjabberdServerLayout
{
    public EjabberdServerLayout(string root)
    {
        Root = root;
        ConfigFile = Path.Combine(root, "ejabberd.yml");
        SpoolDirectory = Path.Combine(root, "spool");
        LogDirectory = Path.Combine(root, "log");
        LogFile = Path.Combine(LogDirectory, "ejabberd.log");
        CrashDumpFile = Path.Combine(LogDirectory, "erl_crash.dump");
        CertificateFile = Path.Combine(root, "certs", "server.pem");
    }

    public string Root { get; }

    public string ConfigFile { get; }

    /// <summary>Mnesia's directory: accounts and rosters, kept across restarts of the process.</summary>
    public string SpoolDirectory { get; }

    public string LogDirectory { get; }

    public string LogFile { get; }

    public string CrashDumpFile { get; }

    /// <summary>The certificate followed by its private key, as ejabberd's <c>certfiles</c> reads them.</summary>
    public string CertificateFile { get; }

    /// <summary>Creates the directory tree and writes the certificate with its key (readable by the owner only).</summary>
    public void Create(TestServerCertificate certificate)
    {
        Directory.CreateDirectory(SpoolDirectory);
        Directory.CreateDirectory(LogDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(CertificateFile)!);
        File.WriteAllText(CertificateFile, certificate.CertificatePem + "\n" + certificate.PrivateKeyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(CertificateFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
