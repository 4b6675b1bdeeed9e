using System.CommandLine;
using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary><c>xtls chat</c>: a scriptable end-to-end encrypted chat through a real XMPP server.</summary>
internal static class ChatCommand
{
    /// <summary>What the command does, in one line.</summary>
    public const string Summary = "Chat end to end through a real XMPP server: lines from standard input out, received messages to standard output.";

    /// <summary>How the command behaves, shown after its options in <c>--help</c>.</summary>
    public const string Details =
        """
        Lines read from standard input are sent as chat messages through the tunnel; every received message is
        printed as one line on standard output ("sender: body", or one JSON object with --json); status lines,
        warnings and errors go to standard error. Empty lines are skipped, and nothing is ever sent in the clear.
        At end of input the tunnel is closed in order (close_notify, close/closed) and the program exits 0; it also
        exits 0 when the peer closes the tunnel. With --accept, the first accepted request decides the run.

        With a contact's bare JID as --peer, the program asks for a presence subscription if it has none, opens a
        tunnel to every online device of the contact that supports XTLS, and follows its presence: a device that
        comes online later gets a tunnel, one that leaves is dropped (a status line, not a failure). Each line goes
        to every open tunnel; a line typed while none is open waits up to --wait seconds, then the program exits 4.

        Example (two shells, self-signed test server):
          XTLS_PASSWORD=... xtls chat --jid juliet@example.org/balcony --accept romeo@example.org --server-cert server.pem
          XTLS_PASSWORD=... xtls chat --jid romeo@example.org/orchard --peer juliet@example.org --server-cert server.pem
        """;

    /// <summary>Builds the command.</summary>
    public static Command Build(ProgramConsole console)
    {
        var options = new ChatOptions();
        var command = new Command("chat", Summary);
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ChatSettings settings = options.ToSettings(parse, console.ConfigDirectory);
            return await ChatSession.RunAsync(settings, console, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
