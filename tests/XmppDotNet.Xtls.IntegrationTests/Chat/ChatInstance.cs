using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;
using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Chat;

/// <summary>
/// One <c>xtls chat</c> run in-process against the test Prosody, as a shell would run it: its own
/// arguments, environment (no terminal, passwords in variables), standard input the test feeds, and
/// standard output and error the test reads. Ctrl-C is <see cref="Interrupt"/>.
/// </summary>
internal sealed class ChatInstance : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _interrupt = new();

    private ChatInstance(string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        Arguments = args;
        var console = new ProgramConsole
        {
            In = Input,
            Out = Output,
            Error = Error,
            GetEnvironmentVariable = variable => environment.TryGetValue(variable, out string? value) ? value : null,
            ConfigDirectory = string.Empty,
        };
        Exit = Task.Run(() => XtlsProgram.RunAsync(args, console, _interrupt.Token));
    }

    public string Name { get; }

    public IReadOnlyList<string> Arguments { get; }

    public LineInput Input { get; } = new();

    public ObservedWriter Output { get; } = new();

    public ObservedWriter Error { get; } = new();

    public Task<int> Exit { get; }

    /// <summary>The last line on standard error: the one-line reason of a failure.</summary>
    public string LastErrorLine => Error.Lines is { Count: > 0 } lines ? lines[^1] : string.Empty;

    /// <summary>Starts <c>xtls chat</c> as <paramref name="user"/> on the server, with files in <paramref name="directory"/>.</summary>
    /// <param name="server">The test server.</param>
    /// <param name="user">The account (its password is <see cref="PasswordOf"/>).</param>
    /// <param name="resource">The resource.</param>
    /// <param name="directory">Where the identity and known-peers files of this user live.</param>
    /// <param name="mode">The rest of the arguments, e.g. <c>--peer JID</c> or <c>--accept</c>.</param>
    /// <param name="environment">More variables, e.g. <c>XTLS_SRP_PASSWORD</c>; they override the defaults.</param>
    /// <param name="device">Names the identity file, for a user with several devices; default: the user's one.</param>
    public static ChatInstance Start(
        ProsodyServer server,
        string user,
        string resource,
        string directory,
        IEnumerable<string> mode,
        IReadOnlyDictionary<string, string>? environment = null,
        string? device = null)
    {
        string[] args =
        [
            "chat",
            "--jid", $"{user}@{server.Domain}/{resource}",
            "--server", server.Host,
            "--port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--server-cert", server.CertificatePath,
            "--identity", IdentityFile(directory, device ?? user),
            "--known-peers", KnownPeersFile(directory, user),
            .. mode,
        ];
        var variables = new Dictionary<string, string> { ["XTLS_PASSWORD"] = PasswordOf(user) };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return new ChatInstance(user, args, variables);
    }

    public static string PasswordOf(string user) => user + "-pass-word";

    public static string IdentityFile(string directory, string user) => Path.Combine(directory, user + "-identity.pem");

    public static string KnownPeersFile(string directory, string user) => Path.Combine(directory, user + "-known-peers.txt");

    /// <summary>Ctrl-C.</summary>
    public void Interrupt() => _interrupt.Cancel();

    /// <summary>The exit code, once the program ended (bounded, with its output as the failure message).</summary>
    public async Task<int> ExitCodeAsync()
    {
        try
        {
            return await Exit.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Name} did not exit within {Bound.TotalSeconds} s.\n{Transcript()}");
            throw;
        }
    }

    /// <summary>Everything the program wrote, for failure messages.</summary>
    public string Transcript() => $"--- {Name}: xtls {string.Join(' ', Arguments)}\n--- stdout:\n{Output}--- stderr:\n{Error}";

    public async ValueTask DisposeAsync()
    {
        if (!Exit.IsCompleted)
        {
            await _interrupt.CancelAsync();
            Input.End();
            await Exit.WaitAsync(Bound).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _interrupt.Dispose();
        Input.Dispose();
        Output.Dispose();
        Error.Dispose();
    }
}
