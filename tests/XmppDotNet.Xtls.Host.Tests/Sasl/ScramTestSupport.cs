using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using XmppDotNet.Xtls.Host.Sasl;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

/// <summary>Helpers for SCRAM tests, including an independent computation of the client-final message.</summary>
[SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SCRAM-SHA-1 is under test.")]
internal static class ScramTestSupport
{
    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    internal static string Text(byte[]? bytes) => Encoding.UTF8.GetString(bytes ?? []);

    /// <summary>Runs a whole exchange; returns the server-final message.</summary>
    internal static byte[] Authenticate(ScramClientMechanism client, ScramServerConversation server)
    {
        byte[] serverFirst = server.HandleClientFirst(client.GetInitialResponse());
        byte[] clientFinal = client.EvaluateChallenge(serverFirst);
        byte[] serverFinal = server.HandleClientFinal(clientFinal);
        client.VerifySuccess(serverFinal);
        return serverFinal;
    }

    /// <summary>A lookup that knows exactly one user.</summary>
    internal static Func<string, ScramCredentials?> OneUser(string username, ScramCredentials credentials) =>
        name => name == username ? credentials : null;

    /// <summary>
    /// Computes "c=...,r=...,p=..." from first principles (RFC 5802 §3), for a GS2 header the client
    /// mechanism never sends.
    /// </summary>
    internal static string ClientFinal(
        ScramHash hash, string password, string gs2Header, string clientFirstBare, string serverFirst)
    {
        var attributes = serverFirst.Split(',').ToDictionary(a => a[0], a => a[2..]);
        byte[] salt = Convert.FromBase64String(attributes['s']);
        int iterations = int.Parse(attributes['i'], System.Globalization.CultureInfo.InvariantCulture);
        HashAlgorithmName name = hash == ScramHash.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        int size = hash == ScramHash.Sha1 ? 20 : 32;

        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Utf8(password), salt, iterations, name, size);
        byte[] clientKey = Hmac(hash, salted, Utf8("Client Key"));
        byte[] storedKey = hash == ScramHash.Sha1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);
        string withoutProof = "c=" + Convert.ToBase64String(Utf8(gs2Header)) + ",r=" + attributes['r'];
        byte[] signature = Hmac(hash, storedKey, Utf8(clientFirstBare + "," + serverFirst + "," + withoutProof));
        byte[] proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        return withoutProof + ",p=" + Convert.ToBase64String(proof);
    }

    private static byte[] Hmac(ScramHash hash, byte[] key, byte[] data) =>
        hash == ScramHash.Sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
}
