using System.Security.Cryptography.X509Certificates;
using XmppDotNet.Xtls.Host;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>
/// What tests need from a throwaway XMPP server, whichever it is (<see cref="ProsodyServer"/>,
/// <see cref="EjabberdServer"/>): where it listens, its certificate to pin, accounts, and stopping
/// and starting its process on the same port with the same accounts.
/// </summary>
public interface ITestXmppServer : IAsyncDisposable
{
    /// <summary>The server's name and version family, for test output (e.g. <c>Prosody</c>, <c>ejabberd</c>).</summary>
    string Product { get; }

    /// <summary>The XMPP domain the server hosts.</summary>
    string Domain { get; }

    /// <summary>The address to connect to: always 127.0.0.1.</summary>
    string Host { get; }

    /// <summary>The client-to-server port (STARTTLS, encryption required).</summary>
    int Port { get; }

    /// <summary>The server's certificate (public part), for clients to pin.</summary>
    X509Certificate2 Certificate { get; }

    /// <summary>The server's log file.</summary>
    string LogPath { get; }

    /// <summary>True while the server process runs.</summary>
    bool IsRunning { get; }

    /// <summary>The bare JID of <paramref name="user"/> on this server.</summary>
    Jid UserJid(string user);

    /// <summary>Creates an account.</summary>
    Task RegisterUserAsync(string user, string password, CancellationToken cancellationToken = default);

    /// <summary>Starts the server (again, after <see cref="StopProcessAsync"/>) and returns once it answers XMPP.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Ends the server process but keeps its directory, accounts and port.</summary>
    Task StopProcessAsync(ShutdownMode mode = ShutdownMode.Graceful);

    /// <summary>The last lines of the server's log.</summary>
    string ReadLogTail(int maxLines = 60);
}
