using XmppDotNet.Xtls.Host.Sasl;

namespace XmppDotNet.Xtls.Host.Tests.Sasl;

public class ScramCredentialsTests
{
    [Test]
    public void Create_Rfc5802Example_DerivesTheExpectedSizesAndKeepsParameters()
    {
        byte[] salt = Convert.FromBase64String("QSXCR+Q6sek8bf92");

        ScramCredentials credentials = ScramCredentials.Create(ScramHash.Sha1, "pencil", salt, 4096);

        Assert.That(credentials.Hash, Is.EqualTo(ScramHash.Sha1));
        Assert.That(credentials.Salt, Is.EqualTo(salt));
        Assert.That(credentials.Iterations, Is.EqualTo(4096));
        Assert.That(credentials.StoredKey, Has.Length.EqualTo(20));
        Assert.That(credentials.ServerKey, Has.Length.EqualTo(20));
        Assert.That(credentials.StoredKey, Is.Not.EqualTo(credentials.ServerKey));
    }

    [Test]
    public void Create_IsDeterministicForTheSameSalt()
    {
        byte[] salt = [1, 2, 3, 4];

        ScramCredentials a = ScramCredentials.Create(ScramHash.Sha256, "pw", salt);
        ScramCredentials b = ScramCredentials.Create(ScramHash.Sha256, "pw", salt);
        ScramCredentials other = ScramCredentials.Create(ScramHash.Sha256, "pw2", salt);

        Assert.That(a.StoredKey, Is.EqualTo(b.StoredKey));
        Assert.That(a.ServerKey, Is.EqualTo(b.ServerKey));
        Assert.That(other.StoredKey, Is.Not.EqualTo(a.StoredKey));
    }

    [Test]
    public void Create_WithoutSalt_DrawsSixteenRandomBytes()
    {
        ScramCredentials a = ScramCredentials.Create(ScramHash.Sha256, "pw");
        ScramCredentials b = ScramCredentials.Create(ScramHash.Sha256, "pw");

        Assert.That(a.Salt, Has.Length.EqualTo(16));
        Assert.That(a.Salt, Is.Not.EqualTo(b.Salt));
        Assert.That(a.StoredKey, Has.Length.EqualTo(32));
    }

    [Test]
    public void Create_ValidatesArguments()
    {
        Assert.That(() => ScramCredentials.Create(ScramHash.Sha256, "pw", iterations: 4095), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => ScramCredentials.Create(ScramHash.Sha256, "pw", iterations: 1_000_001), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => ScramCredentials.Create(ScramHash.Sha256, "pw", []), Throws.ArgumentException);
        Assert.That(() => ScramCredentials.Create((ScramHash)5, "pw"), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => ScramCredentials.Create(ScramHash.Sha256, "p\u0007w"), Throws.TypeOf<SaslPrepException>());
    }

    [Test]
    public void Properties_ReturnCopies()
    {
        ScramCredentials credentials = ScramCredentials.Create(ScramHash.Sha256, "pw", [9, 9, 9]);

        credentials.Salt[0] = 0;
        credentials.StoredKey[0] ^= 0xFF;

        Assert.That(credentials.Salt, Is.EqualTo(new byte[] { 9, 9, 9 }));
        Assert.That(credentials.StoredKey, Is.EqualTo(ScramCredentials.Create(ScramHash.Sha256, "pw", [9, 9, 9]).StoredKey));
    }

    [Test]
    public void FromStoredKeys_RebuildsWorkingCredentials()
    {
        ScramCredentials original = ScramCredentials.Create(ScramHash.Sha256, "pw");
        ScramCredentials rebuilt = ScramCredentials.FromStoredKeys(
            ScramHash.Sha256, original.Salt, original.Iterations, original.StoredKey, original.ServerKey);
        var server = new ScramServerConversation(ScramHash.Sha256, _ => rebuilt);

        ScramTestSupport.Authenticate(new ScramClientMechanism(ScramHash.Sha256, "user", "pw"), server);

        Assert.That(server.AuthenticatedUser, Is.EqualTo("user"));
    }

    [Test]
    public void FromStoredKeys_ValidatesShapes()
    {
        byte[] key32 = new byte[32];

        Assert.That(() => ScramCredentials.FromStoredKeys(ScramHash.Sha256, [1], 4096, new byte[20], key32), Throws.ArgumentException);
        Assert.That(() => ScramCredentials.FromStoredKeys(ScramHash.Sha256, [1], 4096, key32, new byte[31]), Throws.ArgumentException);
        Assert.That(() => ScramCredentials.FromStoredKeys(ScramHash.Sha256, [], 4096, key32, key32), Throws.ArgumentException);
        Assert.That(() => ScramCredentials.FromStoredKeys(ScramHash.Sha256, [1], 0, key32, key32), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
