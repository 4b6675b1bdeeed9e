using System.Security.Cryptography;
using System.Text;

namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>The server side of one SCRAM authentication attempt (RFC 5802), without channel binding.</summary>
/// <remarks>
/// <para>
/// Accepts the GS2 flags <c>n</c> and <c>y</c> (this server offers no <c>-PLUS</c> mechanism) and no
/// authorization identity. An unknown user gets the same kind of answer as a known one: a salt derived
/// from the user name with a per-process secret (so repeated attempts see the same salt), the default
/// iteration count, and random keys no proof can match; the attempt then fails at the client-final
/// message with <c>not-authorized</c>, exactly like a wrong password.
/// </para>
/// <para>Failures throw <see cref="SaslAuthenticationException"/> and end the conversation. Not thread-safe.</para>
/// </remarks>
public sealed class ScramServerConversation
{
    private const int FakeSaltLength = ScramCredentials.DefaultSaltLength;

    // Makes fake salts stable per user name within this process and unpredictable outside it.
    private static readonly byte[] FakeSaltKey = RandomNumberGenerator.GetBytes(32);

    private readonly ScramHash _hash;
    private readonly Func<string, ScramCredentials?> _lookup;
    private readonly string? _fixedServerNonce;
    private State _state;
    private string? _username;
    private bool _userKnown;
    private byte[]? _storedKey;
    private byte[]? _serverKey;
    private string _gs2Header = string.Empty;
    private string _clientFirstBare = string.Empty;
    private string _serverFirst = string.Empty;
    private string _nonce = string.Empty;

    /// <summary>Starts a conversation.</summary>
    /// <param name="hash">The hash of the mechanism the client chose.</param>
    /// <param name="lookup">Finds the stored credentials of a (SASLprep-ed) user name; <c>null</c> if there is no such user.</param>
    /// <param name="serverNonce">A fixed server nonce part, for tests against published vectors only; <c>null</c> draws a random one.</param>
    /// <exception cref="ArgumentException">The nonce is not printable ASCII without ','.</exception>
    public ScramServerConversation(ScramHash hash, Func<string, ScramCredentials?> lookup, string? serverNonce = null)
    {
        ScramFunctions.ThrowIfUndefined(hash, nameof(hash));
        ArgumentNullException.ThrowIfNull(lookup);
        if (serverNonce is not null && !ScramSyntax.IsValidNonce(serverNonce))
        {
            throw new ArgumentException("A SCRAM nonce is printable ASCII without ','.", nameof(serverNonce));
        }

        _hash = hash;
        _lookup = lookup;
        _fixedServerNonce = serverNonce;
    }

    private enum State
    {
        AwaitingClientFirst,
        AwaitingClientFinal,
        Succeeded,
        Failed,
    }

    /// <summary>The mechanism name, e.g. <c>SCRAM-SHA-256</c>.</summary>
    public string Name => ScramFunctions.MechanismName(_hash);

    /// <summary>The authenticated (SASLprep-ed) user name once the client's proof has been verified; otherwise <c>null</c>.</summary>
    public string? AuthenticatedUser => _state == State.Succeeded ? _username : null;

    /// <summary>Reads the client-first message and returns the server-first message.</summary>
    /// <exception cref="SaslAuthenticationException">The message is malformed or asks for something unsupported.</exception>
    /// <exception cref="InvalidOperationException">Called out of order.</exception>
    public byte[] HandleClientFirst(ReadOnlySpan<byte> clientFirst)
    {
        if (_state != State.AwaitingClientFirst)
        {
            throw new InvalidOperationException("The client-first message has already been handled.");
        }

        bool succeeded = false;
        try
        {
            ParseClientFirst(ScramSyntax.Decode(clientFirst, "client-first message"));
            ScramCredentials? credentials = _lookup(_username!);
            _userKnown = credentials is not null && credentials.Hash == _hash;
            ReadOnlySpan<byte> salt;
            int iterations;
            if (_userKnown)
            {
                salt = credentials!.SaltSpan;
                iterations = credentials.Iterations;
                _storedKey = credentials.StoredKeySpan.ToArray();
                _serverKey = credentials.ServerKeySpan.ToArray();
            }
            else
            {
                salt = FakeSalt(_username!);
                iterations = ScramCredentials.DefaultIterations;
                _storedKey = RandomNumberGenerator.GetBytes(ScramFunctions.HashSize(_hash));
                _serverKey = RandomNumberGenerator.GetBytes(ScramFunctions.HashSize(_hash));
            }

            _nonce += _fixedServerNonce ?? ScramSyntax.GenerateNonce();
            _serverFirst = string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"r={_nonce},s={Convert.ToBase64String(salt)},i={iterations}");
            _state = State.AwaitingClientFinal;
            succeeded = true;
            return ScramSyntax.Encode(_serverFirst);
        }
        finally
        {
            // Any exception, including one from the lookup, ends the conversation.
            if (!succeeded)
            {
                ClearKeys();
                _state = State.Failed;
            }
        }
    }

    /// <summary>Verifies the client proof and returns the server-final message (<c>v=</c> signature).</summary>
    /// <exception cref="SaslAuthenticationException">
    /// The proof is wrong or the user unknown (<c>not-authorized</c>), or the message is malformed (<c>malformed-request</c>).
    /// </exception>
    /// <exception cref="InvalidOperationException">Called out of order.</exception>
    public byte[] HandleClientFinal(ReadOnlySpan<byte> clientFinal)
    {
        if (_state != State.AwaitingClientFinal)
        {
            throw new InvalidOperationException("HandleClientFirst must succeed before HandleClientFinal, and only once.");
        }

        bool succeeded = false;
        try
        {
            byte[] serverFinal = VerifyClientFinal(ScramSyntax.Decode(clientFinal, "client-final message"));
            succeeded = true;
            return serverFinal;
        }
        finally
        {
            // Success or not, the keys are not needed any more.
            ClearKeys();
            _state = succeeded ? State.Succeeded : State.Failed;
        }
    }

    private void ParseClientFirst(string message)
    {
        int firstComma = message.IndexOf(',', StringComparison.Ordinal);
        int secondComma = firstComma < 0 ? -1 : message.IndexOf(',', firstComma + 1);
        if (secondComma < 0)
        {
            throw ScramSyntax.Malformed("The client-first message lacks a GS2 header.");
        }

        string flag = message[..firstComma];
        string authzid = message[(firstComma + 1)..secondComma];
        if (flag.StartsWith("p=", StringComparison.Ordinal))
        {
            throw ScramSyntax.Malformed("Channel binding was requested, but this server offers no -PLUS mechanism.");
        }

        if (flag is not ("n" or "y"))
        {
            throw ScramSyntax.Malformed("The GS2 channel binding flag is not n, y or p=.");
        }

        if (authzid.Length != 0)
        {
            throw new SaslAuthenticationException(SaslConditions.InvalidAuthzid, "An authorization identity is not supported.");
        }

        _gs2Header = message[..(secondComma + 1)];
        _clientFirstBare = message[(secondComma + 1)..];
        string[] attributes = _clientFirstBare.Split(',');
        if (attributes[0].StartsWith("m=", StringComparison.Ordinal))
        {
            throw ScramSyntax.Malformed("The client requires an unsupported mandatory SCRAM extension (m=).");
        }

        if (attributes.Length < 2)
        {
            throw ScramSyntax.Malformed("The client-first message lacks n= or r=.");
        }

        string saslname = ScramSyntax.Require(attributes[0], 'n', "client-first message");
        string clientNonce = ScramSyntax.Require(attributes[1], 'r', "client-first message");
        ScramSyntax.RequireExtensions(attributes, 2, attributes.Length, "client-first message");

        if (!ScramSyntax.TryUnescapeUsername(saslname, out string username))
        {
            throw ScramSyntax.Malformed("The user name uses '=' other than in =2C or =3D.");
        }

        try
        {
            _username = SaslPrep.Prepare(username, allowUnassigned: true);
        }
        catch (SaslPrepException e)
        {
            throw new SaslAuthenticationException(SaslConditions.MalformedRequest, "The user name is not acceptable to SASLprep.", e);
        }

        if (_username.Length == 0)
        {
            throw ScramSyntax.Malformed("The user name is empty.");
        }

        if (!ScramSyntax.IsValidNonce(clientNonce))
        {
            throw ScramSyntax.Malformed("The client nonce is not printable ASCII.");
        }

        _nonce = clientNonce;
    }

    private byte[] VerifyClientFinal(string message)
    {
        // The proof is the last attribute; everything before it is signed (client-final-message-without-proof).
        int proofStart = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofStart < 0)
        {
            throw ScramSyntax.Malformed("The client-final message lacks the proof (p=).");
        }

        string withoutProof = message[..proofStart];
        string proofText = message[(proofStart + 3)..];
        string[] attributes = withoutProof.Split(',');
        if (attributes.Length < 2)
        {
            throw ScramSyntax.Malformed("The client-final message lacks c= or r=.");
        }

        string channelBinding = ScramSyntax.Require(attributes[0], 'c', "client-final message");
        string nonce = ScramSyntax.Require(attributes[1], 'r', "client-final message");
        ScramSyntax.RequireExtensions(attributes, 2, attributes.Length, "client-final message");

        if (!ScramSyntax.TryDecodeBase64(proofText, out byte[] proof) || proof.Length != ScramFunctions.HashSize(_hash))
        {
            throw new SaslAuthenticationException(SaslConditions.MalformedRequest, "The proof is not Base64 of one hash length.");
        }

        if (!string.Equals(channelBinding, Convert.ToBase64String(Encoding.ASCII.GetBytes(_gs2Header)), StringComparison.Ordinal))
        {
            throw new SaslAuthenticationException(SaslConditions.NotAuthorized, "The channel binding (c=) does not repeat the GS2 header.");
        }

        if (!string.Equals(nonce, _nonce, StringComparison.Ordinal))
        {
            throw new SaslAuthenticationException(SaslConditions.NotAuthorized, "The nonce (r=) is not the one of this conversation.");
        }

        byte[] storedKey = _storedKey ?? throw new InvalidOperationException("The conversation has no keys.");
        byte[] serverKey = _serverKey ?? throw new InvalidOperationException("The conversation has no keys.");
        byte[] authMessage = ScramSyntax.Encode(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        byte[] clientSignature = ScramFunctions.Hmac(_hash, storedKey, authMessage);
        byte[] clientKey = new byte[proof.Length];
        for (int i = 0; i < clientKey.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        byte[] candidateStoredKey = ScramFunctions.Hash(_hash, clientKey);
        bool proofMatches = CryptographicOperations.FixedTimeEquals(candidateStoredKey, storedKey);
        ScramFunctions.Clear(clientSignature, clientKey, candidateStoredKey);

        // Same work and same answer whether the user is unknown or the password is wrong.
        if (!(proofMatches & _userKnown))
        {
            throw new SaslAuthenticationException(SaslConditions.NotAuthorized, "Authentication failed.");
        }

        byte[] serverSignature = ScramFunctions.Hmac(_hash, serverKey, authMessage);
        return ScramSyntax.Encode("v=" + Convert.ToBase64String(serverSignature));
    }

    private byte[] FakeSalt(string username)
    {
        byte[] digest = HMACSHA256.HashData(FakeSaltKey, Encoding.UTF8.GetBytes(Name + "\0" + username));
        return digest[..FakeSaltLength];
    }

    private void ClearKeys()
    {
        ScramFunctions.Clear(_storedKey, _serverKey);
        _storedKey = null;
        _serverKey = null;
    }
}
