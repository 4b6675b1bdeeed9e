using XmppDotNet.Xtls.Testing.Prosody;

namespace XmppDotNet.Xtls.IntegrationTests.Prosody;

[TestFixture]
public sealed class ProsodyAccountFilesTests
{
    [Test]
    public void Keys_match_what_prosodyctl_register_wrote_for_the_same_password_and_salt()
    {
        // Written by prosodyctl 0.12.3 for "secretpw"; only the salt is random.
        var file = ProsodyAccountFiles.Render("secretpw", "3b133156-2c74-4f40-bca4-4194fdf72cf2");

        Assert.Multiple(() =>
        {
            Assert.That(file, Does.Contain("[\"stored_key\"] = \"0e0e0fa706d02419632eb83dad4f5a85f7b6aebf\";"));
            Assert.That(file, Does.Contain("[\"server_key\"] = \"67de59332d78ef1db07efe72c32936dea81f5127\";"));
            Assert.That(file, Does.Contain("[\"iteration_count\"] = 10000;"));
            Assert.That(file, Does.Not.Contain("secretpw"));
        });
    }

    [TestCase("xtls.test", "xtls%2etest")]
    [TestCase("user_1-a", "user%5f1%2da")]
    [TestCase("plain42", "plain42")]
    public void File_names_are_encoded_like_prosodys_datamanager(string name, string expected) =>
        Assert.That(ProsodyAccountFiles.Encode(name), Is.EqualTo(expected));
}
