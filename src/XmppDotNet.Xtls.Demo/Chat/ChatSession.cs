using System.Security.Cryptography.X509Certificates;
using XmppDotNet.Xtls.Contacts;
using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Services;
using XmppDotNet.Xtls.Host.Stanzas;
using XmppDotNet.Xtls.Identity;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tls;
using XmppDotNet.Xtls.Trust;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>
/// One run of <c>xtls chat</c>: log in, open or accept one tunnel, chat through it until input ends or the
/// peer closes, then close everything in order. Every failure ends as a <see cref="ProgramFailure"/>.
/// </summary>
internal sealed class ChatSession
{
    private readonly ChatSettings _settings;
    private readonly ProgramConsole _console;
    private readonly StatusWriter _status;
    private readonly TunnelWatch _watch;
    private ChatTrustStore? _trust;

    private ChatSession(ChatSettings settings, ProgramConsole console)
    {
        _settings = settings;
        _console = console;
        _status = new StatusWriter(console.Error, Styler.For(console.IsErrorRedirected, console.GetEnvironmentVariable), settings.Quiet);
        _watch = new TunnelWatch(settings, _status, new MessagePrinter(console.Out, settings.Json), ReportOpened)
        {
            DescribeEnd = e => TunnelFailure(e.Peer, e.Reason, e.Detail, e.WasOpen).Message,
        };
    }

    private XtlsMethod Method => _settings.Srp ? XtlsMethod.Srp : XtlsMethod.X509;

    /// <summary>Runs the chat and returns the exit code.</summary>
    /// <exception cref="ProgramFailure">Anything went wrong; it carries the exit code and the reason.</exception>
    public static Task<int> RunAsync(ChatSettings settings, ProgramConsole console, CancellationToken cancellationToken) =>
        new ChatSession(settings, console).RunAsync(cancellationToken);

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        char[] password = Secrets.Require(_console, ChatOptions.PasswordVariable, $"Password for {_settings.Account.Bare}: ", "account password");
        char[]? srpPassword = null;
        try
        {
            if (_settings.Srp)
            {
                srpPassword = Secrets.Require(_console, ChatOptions.SrpPasswordVariable, "Password shared with the peer (SRP): ", "SRP password");
            }

            using X509Certificate2? serverCertificate = _settings.ServerCertificateFile is { } file ? ServerCertificateFile.Load(file) : null;
            XtlsIdentity? identity = _settings.Srp ? null : IdentityLoader.LoadOrCreate(_settings.IdentityFile, _status);
            if (identity is not null)
            {
                _status.Info($"your fingerprint {identity.Fingerprint}");
            }

            _trust = new ChatTrustStore(new FileTrustStore(_settings.KnownPeersFile), _settings.KnownPeersFile, _settings.ExpectedFingerprints, _status);
            await using XmppClient client = Build(new string(password), srpPassword, serverCertificate, identity);
            Array.Clear(password);
            _watch.Attach(client);
            if (_settings.Accept)
            {
                ContactSubscription.ApproveOnly(client, _settings.AcceptFrom, _status);
            }
            await ConnectAsync(client, cancellationToken).ConfigureAwait(false);
            if (_settings.PeerIsContact)
            {
                return await RunWithContactAsync(client, _settings.Peer!, cancellationToken).ConfigureAwait(false);
            }

            XtlsTunnel tunnel = _settings.Peer is { } peer
                ? await OpenAsync(client, peer, cancellationToken).ConfigureAwait(false)
                : await WaitForRequestAsync(client, cancellationToken).ConfigureAwait(false);
            if (!_console.IsInputRedirected)
            {
                _status.Info("type a line and press Enter to send it; Ctrl-D closes the tunnel");
            }

            var conversation = new ChatConversation(client, tunnel.Peer, _watch, _status, this);
            return await conversation.RunAsync(new BoundedLineReader(_console.In, ChatConversation.MaxLineChars), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Array.Clear(password);
            if (srpPassword is not null)
            {
                Array.Clear(srpPassword);
            }
        }
    }

    /// <summary>
    /// Waits until a tunnel to some resource of the contact is open (starting the opens that are missing), at
    /// most <paramref name="wait"/>.
    /// </summary>
    /// <exception cref="ProgramFailure">None opened in time (exit 4, or 5 when a device was refused as not trusted), the session ended, or the run was interrupted.</exception>
    internal async Task<XtlsTunnel> WaitForContactTunnelAsync(XmppClient client, Jid contact, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task<XtlsTunnel> opened = client.GetXtlsContacts().WaitForTunnelAsync(contact, wait, cancellationToken);
        Task first = await Task.WhenAny(opened, _watch.SessionEnded.Task).ConfigureAwait(false);
        if (first != opened)
        {
            throw new ProgramFailure(ExitCodes.Server, "the connection to the XMPP server ended");
        }

        try
        {
            return await opened.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Interrupted();
        }
        catch (TimeoutException e)
        {
            if (_trust?.LastRejection(contact) is { } rejected)
            {
                throw new ProgramFailure(ExitCodes.NotTrusted, $"no trusted device of {contact} within {wait.TotalSeconds:0} s; the last one refused: {_trust.Explain(contact, rejected)}", e);
            }

            throw new ProgramFailure(
                ExitCodes.TunnelNotOpened,
                $"no tunnel to {contact} within {wait.TotalSeconds:0} s: no resource of it that supports XTLS came online (is the presence subscription approved?)",
                e);
        }
    }

    /// <summary>The failure for a tunnel that ended badly, with the trust decision as the reason where there was one.</summary>
    internal ProgramFailure TunnelFailure(Jid peer, Tunnels.TunnelCloseReason reason, string? detail, bool wasOpen, Exception? cause = null)
    {
        if (reason == Tunnels.TunnelCloseReason.TlsFailure && _trust?.StoreFailure is { } storeFailure)
        {
            return new ProgramFailure(ExitCodes.Usage, storeFailure, cause);
        }

        if (reason == Tunnels.TunnelCloseReason.TlsFailure && _trust?.LastRejection(peer) is { } rejected)
        {
            return new ProgramFailure(ExitCodes.NotTrusted, "not trusted: " + _trust.Explain(peer, rejected), cause);
        }

        return new ProgramFailure(TunnelFailures.ExitCodeFor(reason, wasOpen), TunnelFailures.Describe(peer, reason, detail), cause);
    }

    private XmppClient Build(string password, char[]? srpPassword, X509Certificate2? serverCertificate, XtlsIdentity? identity)
    {
        string host = _settings.Server ?? _settings.Account.Domain;
        XmppClientBuilder builder = new XmppClientBuilder()
            .WithJid(_settings.Account)
            .WithPassword(password)
            .WithTcpServer(host, _settings.Port)
            .UseXtls(xtls =>
            {
                xtls.Identity = identity;
                xtls.TrustStore = _trust;
                xtls.DefaultMethod = Method;
                xtls.SrpPassword = srpPassword is null ? null : _ => (char[])srpPassword.Clone();
                xtls.Tunnels.SupportedMethods = new HashSet<string>(StringComparer.Ordinal) { XtlsMethodNames.ToWire(Method) };
                xtls.AcceptIncoming = _watch.DecideAsync;

                // Nobody but the peer is written to, and the chat never sends in the clear: only the peer's
                // contact policy matters. With a bare --peer, tunnels follow the contact's presence.
                xtls.DefaultContactPolicy = ContactPolicy.Off;
                xtls.OpenOnPresence = _settings.PeerIsContact;
            })
            .WithPipelineInitializer((pipeline, _) =>
                pipeline.AddBefore(XtlsClientBuilderExtensions.XtlsTlsHandlerName, ClearTextGuard.Name, new ClearTextGuard()));
        if (serverCertificate is not null)
        {
            builder.WithPinnedServerCertificate(serverCertificate);
        }

        return builder.Build();
    }

    private async Task ConnectAsync(XmppClient client, CancellationToken cancellationToken)
    {
        string where = $"{_settings.Server ?? _settings.Account.Domain}:{_settings.Port}";
        _status.Info($"connecting to {where} as {_settings.Account}");
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Interrupted();
        }
        catch (XmppAuthenticationException e)
        {
            throw new ProgramFailure(ExitCodes.Server, $"the server refused the login of {_settings.Account.Bare}: {e.Message}", e);
        }
        catch (XmppException e)
        {
            string cause = e.GetBaseException() is { } root && root != e ? $" ({root.Message.TrimEnd('.')})" : string.Empty;
            throw new ProgramFailure(ExitCodes.Server, $"cannot log in at {where}: {e.Message.TrimEnd('.')}{cause}", e);
        }
    }

    private async Task<XtlsTunnel> OpenAsync(XmppClient client, Jid peer, CancellationToken cancellationToken)
    {
        _status.Info($"online as {client.Jid}; asking {peer} whether it supports XTLS");
        IReadOnlySet<string> features;
        try
        {
            features = await client.QueryFeaturesAsync(peer, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Interrupted();
        }
        catch (XmppStanzaException e)
        {
            throw new ProgramFailure(ExitCodes.TunnelNotOpened, $"{peer} cannot be reached ({e.Error.Condition}): is it online, with exactly this resource?", e);
        }
        catch (XmppIqTimeoutException e)
        {
            throw new ProgramFailure(ExitCodes.TunnelNotOpened, $"{peer} did not answer a service discovery query", e);
        }

        if (!features.Contains(XtlsNamespaces.Xtls))
        {
            throw new ProgramFailure(ExitCodes.TunnelNotOpened, $"{peer} is online but does not support XTLS ({XtlsNamespaces.Xtls})");
        }

        _status.Info($"opening a tunnel to {peer} ({XtlsMethodNames.ToWire(Method)})");
        try
        {
            return await client.GetXtls().OpenAsync(peer, Method, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Interrupted();
        }
        catch (XtlsTunnelException e)
        {
            throw TunnelFailure(peer, e.Reason, e.Detail, wasOpen: false, e);
        }
    }

    // A contact (bare --peer): its presence tells which resources are online, so a subscription is needed; then
    // a tunnel to every resource that supports XTLS, followed as resources come and go.
    private async Task<int> RunWithContactAsync(XmppClient client, Jid contact, CancellationToken cancellationToken)
    {
        client.GetXtlsContacts().RequireEncryption(contact);
        await ContactSubscription.EnsureAsync(client, contact, _status, cancellationToken).ConfigureAwait(false);
        _status.Info($"online as {client.Jid}; waiting up to {_settings.Wait.TotalSeconds:0} s for a resource of {contact} that supports XTLS");
        await WaitForContactTunnelAsync(client, contact, _settings.Wait, cancellationToken).ConfigureAwait(false);
        if (!_console.IsInputRedirected)
        {
            _status.Info("type a line and press Enter to send it to every device; Ctrl-D closes the tunnels");
        }

        var conversation = new ContactConversation(client, contact, _settings.Wait, _watch, _status, this);
        return await conversation.RunAsync(new BoundedLineReader(_console.In, ChatConversation.MaxLineChars), cancellationToken).ConfigureAwait(false);
    }

    private async Task<XtlsTunnel> WaitForRequestAsync(XmppClient client, CancellationToken cancellationToken)
    {
        string from = _settings.AcceptFrom is { } only ? $" from {only}" : string.Empty;
        _status.Info($"online as {client.Jid}; waiting for a tunnel request{from} (Ctrl-C to stop)");
        Task cancelled = Cancellation.AsTask(cancellationToken);
        Task first = await Task.WhenAny(_watch.Opened.Task, _watch.Ended.Task, _watch.SessionEnded.Task, cancelled).ConfigureAwait(false);
        if (first == _watch.Opened.Task)
        {
            return await _watch.Opened.Task.ConfigureAwait(false);
        }

        if (first == _watch.Ended.Task)
        {
            XtlsTunnelClosedEventArgs ended = await _watch.Ended.Task.ConfigureAwait(false);
            throw TunnelFailure(ended.Peer, ended.Reason, ended.Detail, wasOpen: false);
        }

        if (first == _watch.SessionEnded.Task)
        {
            throw new ProgramFailure(ExitCodes.Server, "the connection to the XMPP server ended");
        }

        throw Interrupted();
    }

    private void ReportOpened(XtlsTunnel tunnel)
    {
        string authentication = tunnel.PeerFingerprint is { } fingerprint
            ? $"{tunnel.Peer.Bare}'s fingerprint {fingerprint} ({(_trust?.DecisionFor(tunnel.Peer, fingerprint) is { } decision ? _trust.Explain(tunnel.Peer, decision) : "trusted")})"
            : "authenticated by the password you share (SRP)";
        _status.Info($"tunnel open with {tunnel.Peer}: {tunnel.ProtocolVersion} {tunnel.CipherSuite}, method {XtlsMethodNames.ToWire(tunnel.Method)}; {authentication}");
    }

    /// <summary>The failure for Ctrl-C or SIGTERM.</summary>
    internal static ProgramFailure Interrupted() => new(ExitCodes.Interrupted, "interrupted");
}
