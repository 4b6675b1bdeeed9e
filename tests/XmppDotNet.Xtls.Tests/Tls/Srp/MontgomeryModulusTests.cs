using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls.Crypto;
using XmppDotNet.Xtls.Tls.Srp;

namespace XmppDotNet.Xtls.Tests.Tls.Srp;

public class MontgomeryModulusTests
{
    private static IEnumerable<TestCaseData> Moduli => ArithmeticCases.Moduli();

    [TestCaseSource(nameof(Moduli))]
    public void ModPow_agrees_with_bouncycastle_for_edge_and_random_bases_and_exponents(BigInteger n)
    {
        var modulus = new MontgomeryModulus(n);
        var random = new Random(n.BitLength);
        foreach (int bits in new[] { 1, 63, 64, 65, 160, 256, 321 })
        {
            foreach (BigInteger value in ArithmeticCases.Bases(n, random))
            {
                foreach (BigInteger exponent in ArithmeticCases.Exponents(bits, random))
                {
                    Assert.That(
                        modulus.ModPow(value, exponent, bits),
                        Is.EqualTo(value.ModPow(exponent, n)),
                        $"{value}^{exponent} mod {n} ({bits}-bit bound)");
                }
            }
        }
    }

    [TestCaseSource(nameof(Moduli))]
    public void A_product_in_montgomery_form_is_the_product_modulo_N(BigInteger n)
    {
        var modulus = new MontgomeryModulus(n);
        var random = new Random(3);
        var a = new ulong[modulus.Length];
        var b = new ulong[modulus.Length];
        var product = new ulong[modulus.Length];
        foreach (BigInteger x in ArithmeticCases.Bases(n, random))
        {
            foreach (BigInteger y in ArithmeticCases.Bases(n, random))
            {
                modulus.ToMontgomery(x, a);
                modulus.ToMontgomery(y, b);
                modulus.Multiply(a, b, product);
                Assert.That(modulus.FromMontgomery(product), Is.EqualTo(x.Multiply(y).Mod(n)));

                // The result may overwrite an operand.
                modulus.Multiply(a, a, a);
                Assert.That(modulus.FromMontgomery(a), Is.EqualTo(x.Multiply(x).Mod(n)));
            }
        }
    }

    [Test]
    public void The_work_follows_the_bound_not_the_exponent_so_a_short_exponent_under_a_long_bound_is_still_right()
    {
        BigInteger n = Srp6StandardGroups.rfc5054_2048.N;
        var modulus = new MontgomeryModulus(n);
        BigInteger value = BigInteger.ValueOf(5);

        Assert.That(modulus.ModPow(value, BigInteger.Three, 2048), Is.EqualTo(BigInteger.ValueOf(125)));
    }

    [Test]
    public void An_exponent_beyond_its_bound_or_negative_is_refused()
    {
        var modulus = new MontgomeryModulus(Srp6StandardGroups.rfc5054_2048.N);

        Assert.Multiple(() =>
        {
            Assert.That(() => modulus.ModPow(BigInteger.Two, BigInteger.One.ShiftLeft(160), 160), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => modulus.ModPow(BigInteger.Two, BigInteger.ValueOf(-1), 160), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => modulus.ModPow(BigInteger.Two, BigInteger.One, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Even_tiny_negative_and_oversized_moduli_are_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new MontgomeryModulus(BigInteger.ValueOf(1024)), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new MontgomeryModulus(BigInteger.One), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new MontgomeryModulus(BigInteger.ValueOf(-7)), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new MontgomeryModulus(BigInteger.One.ShiftLeft(MontgomeryModulus.MaxBits).Add(BigInteger.One)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
