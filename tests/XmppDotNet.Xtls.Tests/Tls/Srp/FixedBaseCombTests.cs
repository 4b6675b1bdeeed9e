using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tls.Crypto;
using XmppDotNet.Xtls.Tls.Srp;

namespace XmppDotNet.Xtls.Tests.Tls.Srp;

public class FixedBaseCombTests
{
    private static IEnumerable<TestCaseData> Moduli => ArithmeticCases.Moduli();

    [TestCaseSource(nameof(Moduli))]
    public void Powers_agree_with_bouncycastle_for_every_table_shape(BigInteger n)
    {
        var modulus = new MontgomeryModulus(n);
        var random = new Random(n.BitLength + 1);
        foreach (BigInteger generator in new[] { BigInteger.Two, BigInteger.Five, n.Subtract(BigInteger.One), n.Add(BigInteger.Three), new BigInteger(n.BitLength, random).Mod(n) })
        {
            foreach ((int maxBits, int rows) in new[] { (1, 1), (64, 1), (160, 3), (256, 8), (255, 8), (100, 7), (321, 5) })
            {
                var comb = new FixedBaseComb(modulus, generator, maxBits, rows);
                foreach (BigInteger exponent in ArithmeticCases.Exponents(comb.MaxExponentBits, random).Concat(ArithmeticCases.Exponents(maxBits, random)))
                {
                    Assert.That(
                        comb.Pow(exponent),
                        Is.EqualTo(generator.ModPow(exponent, n)),
                        $"{generator}^{exponent} mod {n} ({rows} rows, {maxBits} bits)");
                }
            }
        }
    }

    [Test]
    public void The_table_of_the_srp_group_is_256_entries_of_256_bytes()
    {
        var comb = new FixedBaseComb(new MontgomeryModulus(Srp6StandardGroups.rfc5054_2048.N), BigInteger.Two, 256, 8);

        Assert.Multiple(() =>
        {
            Assert.That(comb.MaxExponentBits, Is.EqualTo(256));
            Assert.That(comb.TableBytes, Is.EqualTo(64 * 1024));
        });
    }

    [Test]
    public void An_exponent_longer_than_the_table_or_negative_is_refused()
    {
        var comb = new FixedBaseComb(new MontgomeryModulus(Srp6StandardGroups.rfc5054_1024.N), BigInteger.Two, 160, 4);

        Assert.Multiple(() =>
        {
            Assert.That(() => comb.Pow(BigInteger.One.ShiftLeft(160)), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => comb.Pow(BigInteger.ValueOf(-3)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
