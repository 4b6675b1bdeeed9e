using XmppDotNet.Xtls.Tls.Srp;

namespace XmppDotNet.Xtls.Tests.Tls.Srp;

public class ConstantTimeTableTests
{
    // 3 limbs take the scalar path; 4, 8 and 32 the vector one where the hardware has it.
    [TestCase(1, 2)]
    [TestCase(3, 16)]
    [TestCase(4, 16)]
    [TestCase(8, 5)]
    [TestCase(32, 256)]
    public void Every_entry_is_read_back_exactly(int entryLength, int entries)
    {
        var random = new Random(entryLength * entries);
        ulong[] table = new ulong[entryLength * entries];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
        }

        ulong[] destination = new ulong[entryLength + 1];
        for (int k = 0; k < entries; k++)
        {
            Array.Fill(destination, ulong.MaxValue);
            ConstantTimeTable.Select(table, entryLength, k, destination);

            Assert.That(destination[..entryLength], Is.EqualTo(table.AsSpan(k * entryLength, entryLength).ToArray()));
            Assert.That(destination[entryLength], Is.EqualTo(ulong.MaxValue), "nothing past the entry is written");
        }
    }
}
