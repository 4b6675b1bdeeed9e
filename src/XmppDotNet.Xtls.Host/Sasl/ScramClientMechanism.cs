using System.Security.Cryptography;

namespace XmppDotNet.Xtls.Host.Sasl;

/// <summary>
/// The client side of SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677), without channel binding
/// (GS2 header <c>n,,</c>, no authorization identity).
/// </summary>
/// <remarks>
/// <para>
/// Every server message is checked strictly: the nonce must extend the client nonce, the salt must be
/// canonical Base64, the iteration count must be in [<see cref="MinIterations"/>, <see cref="MaxIterations"/>]
/// (the upper bound keeps a hostile server from making the client burn seconds of CPU), and a mandatory
/// extension (<c>m=</c>) is refused. Authentication only counts as successful once the server has
/// proved knowledge of the password with its signature (<c>v=</c>), compared in constant time.
/// </para>
/// <para>
/// User name and password are prepared with SASLprep as queries (unassigned code points allowed), as
/// Prosody and other servers do; a string SASLprep rejects makes the constructor throw. The password
/// and the keys derived from it are zeroed as soon as they are no longer needed.
/// </para>
/// </remarks>
public sealed class ScramClientMechanism : SaslMechanism
{
    /// <summary>The smallest iteration count accepted from a server.</summary>
    public const int MinIterations = 1;

    /// <summary>The largest iteration count accepted from a server (a bound on the PBKDF2 work it can demand).</summary>
    public const int MaxIterations = 1_000_000;

    private const string Gs2Header = "n,,";

    // Base64 of the GS2 header "n,,": the c= attribute without channel binding data.
    private const string ChannelBinding = "biws";

    private readonly ScramHash _hash;
    private readonly string _clientNonce;
    private readonly string _clientFirstBare;
    private byte[]? _password;
    private byte[]? _expectedServerSignature;
    private State _state;

    /// <summary>Creates the mechanism for one authentication attempt.</summary>
    /// <param name="hash">SHA-1 or SHA-256.</param>
    /// <param name="username">The user name (the localpart of the account's JID in XMPP).</param>
    /// <param name="password">The password.</param>
    /// <param name="clientNonce">A fixed client nonce, for tests against published vectors only; <c>null</c> draws a random one.</param>
    /// <exception cref="ArgumentException">The user name is empty after SASLprep, too long, or the nonce is not printable ASCII without ','.</exception>
    /// <exception cref="SaslPrepException">SASLprep rejects the user name or the password.</exception>
    public ScramClientMechanism(ScramHash hash, string username, string password, string? clientNonce = null)
    {
        ScramFunctions.ThrowIfUndefined(hash, nameof(hash));
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        if (clientNonce is not null && !ScramSyntax.IsValidNonce(clientNonce))
        {
            throw new ArgumentException("A SCRAM nonce is printable ASCII without ','.", nameof(clientNonce));
        }

        string preparedUsername = SaslPrep.Prepare(username, allowUnassigned: true);
        if (preparedUsername.Length == 0)
        {
            throw new ArgumentException("The user name is empty after SASLprep.", nameof(username));
        }

        _hash = hash;
        _clientNonce = clientNonce ?? ScramSyntax.GenerateNonce();
        _clientFirstBare = "n=" + ScramSyntax.EscapeUsername(preparedUsername) + ",r=" + _clientNonce;
        if (ScramSyntax.Encode(Gs2Header + _clientFirstBare).Length > ScramSyntax.MaxMessageBytes)
        {
            throw new ArgumentException("The user name is too long.", nameof(username));
        }

        _password = ScramSyntax.Encode(SaslPrep.Prepare(password, allowUnassigned: true));
    }

    private enum State
    {
        Initial,
        AwaitingServerFirst,
        AwaitingServerFinal,
        ServerVerified,
        Completed,
        Failed,
    }

    /// <inheritdoc />
    public override string Name => ScramFunctions.MechanismName(_hash);

    /// <summary>The hash function of this mechanism.</summary>
    public ScramHash Hash => _hash;

    /// <summary>Whether the server has proved knowledge of the password.</summary>
    public bool IsServerVerified => _state is State.ServerVerified or State.Completed;

    /// <summary>The client-first message: <c>n,,n=user,r=nonce</c>.</summary>
    /// <exception cref="InvalidOperationException">Called more than once.</exception>
    public override byte[]? GetInitialResponse()
    {
        if (_state != State.Initial)
        {
            throw new InvalidOperationException("The client-first message has already been produced.");
        }

        _state = State.AwaitingServerFirst;
        return ScramSyntax.Encode(Gs2Header + _clientFirstBare);
    }

    /// <summary>
    /// Answers the server-first message with the client-final message (carrying the proof). A server
    /// that sends its final message as a second challenge gets it verified here and an empty answer.
    /// </summary>
    /// <exception cref="SaslAuthenticationException">The challenge is malformed, unacceptable or out of order.</exception>
    /// <exception cref="InvalidOperationException">Called before <see cref="GetInitialResponse"/> or after a failure.</exception>
    public override byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge)
    {
        ThrowIfFailed();
        if (_state == State.Initial)
        {
            throw new InvalidOperationException("GetInitialResponse must be called first.");
        }

        try
        {
            switch (_state)
            {
                case State.AwaitingServerFirst:
                    return HandleServerFirst(challenge);
                case State.AwaitingServerFinal:
                    VerifyServerFinal(challenge);
                    return [];
                default:
                    throw ScramSyntax.Malformed("The server sent a challenge after the SCRAM exchange was complete.");
            }
        }
        catch (SaslAuthenticationException)
        {
            Fail();
            throw;
        }
    }

    /// <summary>Checks the server signature carried by <c>&lt;success/&gt;</c>.</summary>
    /// <exception cref="SaslAuthenticationException">
    /// The signature is missing, malformed or wrong, or the server claims success before the exchange is complete.
    /// </exception>
    /// <exception cref="InvalidOperationException">Called after a failure or twice.</exception>
    public override void VerifySuccess(ReadOnlySpan<byte> additionalData)
    {
        ThrowIfFailed();
        if (_state == State.Completed)
        {
            throw new InvalidOperationException("Success has already been verified.");
        }

        try
        {
            switch (_state)
            {
                case State.AwaitingServerFinal:
                    VerifyServerFinal(additionalData);
                    break;
                case State.ServerVerified when !additionalData.IsEmpty:
                    throw ScramSyntax.Malformed("The server sent additional data with success after its final challenge.");
                case State.ServerVerified:
                    break;
                default:
                    throw new SaslAuthenticationException(
                        SaslConditions.NotAuthorized,
                        "The server claimed success before the SCRAM exchange was complete; it has not proved that it knows the password.");
            }
        }
        catch (SaslAuthenticationException)
        {
            Fail();
            throw;
        }

        _state = State.Completed;
    }

    private byte[] HandleServerFirst(ReadOnlySpan<byte> challenge)
    {
        string serverFirst = ScramSyntax.Decode(challenge, "server-first message");
        string[] attributes = serverFirst.Split(',');
        if (attributes[0].StartsWith("m=", StringComparison.Ordinal))
        {
            throw ScramSyntax.Malformed("The server requires an unsupported mandatory SCRAM extension (m=).");
        }

        if (attributes.Length < 3)
        {
            throw ScramSyntax.Malformed("The server-first message lacks r=, s= or i=.");
        }

        string nonce = ScramSyntax.Require(attributes[0], 'r', "server-first message");
        string saltText = ScramSyntax.Require(attributes[1], 's', "server-first message");
        string iterationText = ScramSyntax.Require(attributes[2], 'i', "server-first message");
        ScramSyntax.RequireExtensions(attributes, 3, attributes.Length, "server-first message");

        if (!ScramSyntax.IsValidNonce(nonce))
        {
            throw ScramSyntax.Malformed("The server nonce is not printable ASCII.");
        }

        if (nonce.Length <= _clientNonce.Length || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw ScramSyntax.Malformed("The server nonce does not extend the client nonce.");
        }

        if (!ScramSyntax.TryDecodeBase64(saltText, out byte[] salt))
        {
            throw new SaslAuthenticationException(SaslConditions.IncorrectEncoding, "The salt is not valid Base64.");
        }

        if (!ScramSyntax.TryParseIterations(iterationText, MaxIterations, out int iterations) || iterations < MinIterations)
        {
            throw ScramSyntax.Malformed($"The iteration count is not a number in [{MinIterations}, {MaxIterations}].");
        }

        return ComputeClientFinal(serverFirst, nonce, salt, iterations);
    }

    private byte[] ComputeClientFinal(string serverFirst, string nonce, byte[] salt, int iterations)
    {
        string clientFinalWithoutProof = "c=" + ChannelBinding + ",r=" + nonce;
        byte[] authMessage = ScramSyntax.Encode(_clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof);

        byte[] password = _password ?? throw new InvalidOperationException("The password has already been used.");
        byte[] saltedPassword = ScramFunctions.SaltedPassword(_hash, password, salt, iterations);
        byte[] clientKey = ScramFunctions.ClientKey(_hash, saltedPassword);
        byte[] storedKey = ScramFunctions.Hash(_hash, clientKey);
        byte[] clientSignature = ScramFunctions.Hmac(_hash, storedKey, authMessage);
        byte[] serverKey = ScramFunctions.ServerKey(_hash, saltedPassword);
        _expectedServerSignature = ScramFunctions.Hmac(_hash, serverKey, authMessage);

        byte[] proof = new byte[clientKey.Length];
        for (int i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        string clientFinal = clientFinalWithoutProof + ",p=" + Convert.ToBase64String(proof);
        ScramFunctions.Clear(saltedPassword, clientKey, storedKey, clientSignature, serverKey, proof, _password);
        _password = null;
        _state = State.AwaitingServerFinal;
        return ScramSyntax.Encode(clientFinal);
    }

    private void VerifyServerFinal(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            throw new SaslAuthenticationException(
                SaslConditions.NotAuthorized,
                "The server sent no signature (v=); it has not proved that it knows the password.");
        }

        string serverFinal = ScramSyntax.Decode(message, "server-final message");
        string[] attributes = serverFinal.Split(',');
        ScramSyntax.RequireExtensions(attributes, 1, attributes.Length, "server-final message");
        if (ScramSyntax.TryGetAttribute(attributes[0], 'e', out string serverError))
        {
            throw new SaslAuthenticationException(
                SaslConditions.NotAuthorized,
                "The server rejected the authentication: " + Truncate(serverError));
        }

        string signatureText = ScramSyntax.Require(attributes[0], 'v', "server-final message");
        if (!ScramSyntax.TryDecodeBase64(signatureText, out byte[] signature))
        {
            throw new SaslAuthenticationException(SaslConditions.IncorrectEncoding, "The server signature is not valid Base64.");
        }

        byte[] expected = _expectedServerSignature!;
        if (signature.Length != expected.Length || !CryptographicOperations.FixedTimeEquals(signature, expected))
        {
            throw new SaslAuthenticationException(
                SaslConditions.NotAuthorized,
                "The server signature is wrong: the server does not know the password.");
        }

        ScramFunctions.Clear(_expectedServerSignature);
        _expectedServerSignature = null;
        _state = State.ServerVerified;
    }

    private void ThrowIfFailed()
    {
        if (_state == State.Failed)
        {
            throw new InvalidOperationException("This authentication attempt has already failed.");
        }
    }

    private void Fail()
    {
        ScramFunctions.Clear(_password, _expectedServerSignature);
        _password = null;
        _expectedServerSignature = null;
        _state = State.Failed;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
