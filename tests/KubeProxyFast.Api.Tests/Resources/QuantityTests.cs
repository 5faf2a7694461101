using System.Globalization;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Api.Tests.Resources;

public class QuantityTests
{
    // Canonical forms checked against k8s.io/apimachinery quantity_test.go (TestQuantityParse,
    // TestQuantityString, TestQuantityParseEmit) and the Kubernetes docs.
    [Theory]
    // Zero, signs and the loose number forms of the grammar.
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("0.0", "0")]
    [InlineData("0Ki", "0")]
    [InlineData("0e3", "0")]
    [InlineData("1", "1")]
    [InlineData("+5", "5")]
    [InlineData("-1", "-1")]
    [InlineData(".5", "500m")]
    [InlineData("5.", "5")]
    [InlineData("1.G", "1G")]
    [InlineData("007", "7")]
    // decimalSI: the largest suffix with an integral mantissa.
    [InlineData("0.5", "500m")]
    [InlineData("0.1", "100m")]
    [InlineData("100m", "100m")]
    [InlineData("1000m", "1")]
    [InlineData("1.5", "1500m")]
    [InlineData("-1.5", "-1500m")]
    [InlineData("1.2345", "1234500u")]
    [InlineData("2000", "2k")]
    [InlineData("1k", "1k")]
    [InlineData("50k", "50k")]
    [InlineData("1000M", "1G")]
    [InlineData("1G", "1G")]
    [InlineData("1T", "1T")]
    [InlineData("2P", "2P")]
    [InlineData("1E", "1E")]
    [InlineData("12E", "12E")]
    [InlineData("1.01E", "1010P")]
    [InlineData("100.035k", "100035")]
    [InlineData("10.035M", "10035k")]
    [InlineData("6.987654321G", "6987654321")]
    [InlineData("5n", "5n")]
    [InlineData("4u", "4u")]
    [InlineData("1080u", "1080u")]
    [InlineData("0.0005k", "500m")]
    // Nano rounding: finer values round away from zero.
    [InlineData("0.9n", "1n")]
    [InlineData("-0.9n", "-1n")]
    [InlineData("3.001n", "4n")]
    [InlineData("0.0000000001", "1n")]
    [InlineData("0.00000012345", "124n")]
    [InlineData("1e-12", "1e-9")]
    // decimalSI has no suffix past E: Kubernetes falls back to an exponent.
    [InlineData("1000E", "1e21")]
    [InlineData("5000E", "5e21")]
    // binarySI.
    [InlineData("1Ki", "1Ki")]
    [InlineData("-1Ki", "-1Ki")]
    [InlineData("8Ki", "8Ki")]
    [InlineData("2048Ki", "2Mi")]
    [InlineData("64Mi", "64Mi")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("0.5Mi", "512Ki")]
    [InlineData("5Ti", "5Ti")]
    [InlineData("4Pi", "4Pi")]
    [InlineData("3Ei", "3Ei")]
    // binarySI below 1024 or fractional is written as decimalSI.
    [InlineData("1.5Ki", "1536")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1.1Ki", "1126400m")]
    [InlineData("100.035Ki", "102435840m")]
    [InlineData(".001Ki", "1024m")]
    [InlineData(".000001Ki", "1024u")]
    [InlineData(".000000000001Ki", "2n")]
    // binarySI is capped at 2^63-1 (Kubernetes maxAllowed).
    [InlineData("9Ei", "9223372036854775807")]
    [InlineData("9223372036854775807Ki", "9223372036854775807")]
    // decimalExponent: exponent a multiple of 3, none when it is 0.
    [InlineData("2e3", "2e3")]
    [InlineData("1e3", "1e3")]
    [InlineData("1E6", "1e6")]
    [InlineData("2e4", "20e3")]
    [InlineData("1E-3", "1e-3")]
    [InlineData("-1e3", "-1e3")]
    [InlineData("0.5e-1", "50e-3")]
    [InlineData("1.2e3", "1200")]
    [InlineData("1.3E+6", "1300e3")]
    [InlineData("1e0", "1")]
    [InlineData("1e21", "1e21")]
    // Beyond 64 bits nothing is lost.
    [InlineData("18446744073709551616", "18446744073709551616")]
    [InlineData("-18446744073709551616", "-18446744073709551616")]
    [InlineData("123456789012345678901234567890m", "123456789012345678901234567890m")]
    [InlineData("1e2147483647", "10e2147483646")]
    public void Parse_ValidInput_PrintsCanonicalForm(string input, string expected)
    {
        Quantity quantity = Quantity.Parse(input);

        Assert.Equal(expected, quantity.ToString());
        Assert.Equal(quantity, Quantity.Parse(expected));
    }

    [Theory]
    [InlineData("1", QuantityFormat.DecimalSI)]
    [InlineData("100m", QuantityFormat.DecimalSI)]
    [InlineData("1Ki", QuantityFormat.BinarySI)]
    [InlineData("0.5Ki", QuantityFormat.BinarySI)]
    [InlineData("0Mi", QuantityFormat.BinarySI)]
    [InlineData(".000000000001Ki", QuantityFormat.DecimalSI)]
    [InlineData("0.5Mi", QuantityFormat.BinarySI)]
    [InlineData("1e3", QuantityFormat.DecimalExponent)]
    [InlineData("0.5e0", QuantityFormat.DecimalExponent)]
    public void Parse_Suffix_RemembersFormat(string input, QuantityFormat expected) =>
        Assert.Equal(expected, Quantity.Parse(input).Format);

    [Theory]
    [InlineData("", Quantity.FormatWrongMessage)]
    [InlineData("1.2.3", Quantity.FormatWrongMessage)]
    [InlineData("1.1.M", Quantity.FormatWrongMessage)]
    [InlineData("1+1.0M", Quantity.FormatWrongMessage)]
    [InlineData("Mi", Quantity.FormatWrongMessage)]
    [InlineData(".", Quantity.FormatWrongMessage)]
    [InlineData("-", Quantity.FormatWrongMessage)]
    [InlineData("1 Mi", Quantity.FormatWrongMessage)]
    [InlineData(" 1", Quantity.FormatWrongMessage)]
    [InlineData("1 ", Quantity.FormatWrongMessage)]
    [InlineData("1KB", Quantity.FormatWrongMessage)]
    [InlineData("0.1am", Quantity.FormatWrongMessage)]
    [InlineData("1e3m", Quantity.FormatWrongMessage)]
    [InlineData("abc", Quantity.FormatWrongMessage)]
    [InlineData("1mi", Quantity.SuffixMessage)]
    [InlineData("1K", Quantity.SuffixMessage)]
    [InlineData("1i", Quantity.SuffixMessage)]
    [InlineData(".5i", Quantity.SuffixMessage)]
    [InlineData("1Mi3", Quantity.SuffixMessage)]
    [InlineData("1e", Quantity.SuffixMessage)]
    [InlineData("-3.01e-", Quantity.SuffixMessage)]
    [InlineData("1E2147483648", Quantity.SuffixMessage)]
    [InlineData("1e4294967297", Quantity.SuffixMessage)]
    [InlineData("10e2147483647", Quantity.NumericMessage)]
    public void Parse_InvalidInput_ThrowsFormatExceptionNamingInput(string input, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => Quantity.Parse(input));

        Assert.Contains($"\"{input}\"", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(reason, ex.Message, StringComparison.Ordinal);
        Assert.False(Quantity.TryParse(input, out Quantity result));
        Assert.True(result.IsZero);
    }

    [Fact]
    public void Parse_VeryLongInvalidInput_EchoesShortenedInput()
    {
        string input = new string('1', 500) + "x";

        var ex = Assert.Throws<FormatException>(() => Quantity.Parse(input));

        Assert.Contains($"\"{input[..64]}...\"", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 200);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Quantity.Parse(null!));
        Assert.False(Quantity.TryParse((string?)null, out _));
    }

    [Fact]
    public void TryParse_Span_ParsesSlice()
    {
        Assert.True(Quantity.TryParse("cpu=250m".AsSpan(4), out Quantity quantity));
        Assert.Equal(Quantity.FromMilliValue(250, QuantityFormat.DecimalSI), quantity);
    }

    [Fact]
    public void Default_IsDecimalZero()
    {
        Quantity zero = default;

        Assert.True(zero.IsZero);
        Assert.Equal(0, zero.Sign);
        Assert.Equal(QuantityFormat.DecimalSI, zero.Format);
        Assert.Equal("0", zero.ToString());
        Assert.Equal(0, zero.Value);
        Assert.Equal(Quantity.Parse("0Ki"), zero);
    }

    [Theory]
    [InlineData("1Gi", "1G", 1)]
    [InlineData("1000m", "1", 0)]
    [InlineData("0.5", "500m", 0)]
    [InlineData("1Ki", "1024", 0)]
    [InlineData("1e3", "1k", 0)]
    [InlineData("1E", "1e18", 0)]
    [InlineData("0", "0Ki", 0)]
    [InlineData("100m", "50m", 1)]
    [InlineData("10000T", "100Gi", 1)]
    [InlineData("1n", "0", 1)]
    [InlineData("-1", "1", -1)]
    [InlineData("-2", "-1", -1)]
    [InlineData("-1n", "-1", 1)]
    [InlineData("999m", "1", -1)]
    [InlineData("1001m", "1", 1)]
    [InlineData("1", "1e-20", 1)]
    [InlineData("1e18", "999999999999999999", 1)]
    [InlineData("9223372036854775807", "9223372036854775808", -1)]
    [InlineData("18446744073709551616", "18446744073709551615", 1)]
    [InlineData("1e21", "999999999999999999999", 1)]
    [InlineData("123456789012345678901234567890", "12345678901234567890123456789e1", 0)]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567891", -1)]
    [InlineData("-123456789012345678901234567890k", "-123456789012345678901234567891k", 1)]
    [InlineData("1e2147483647", "1e2147483646", 1)]
    [InlineData("-1e2147483647", "1", -1)]
    [InlineData("1e2147483647", "99999999999999999999999999999", 1)]
    public void Compare_AcrossFormats_IsExact(string left, string right, int expected)
    {
        Quantity a = Quantity.Parse(left);
        Quantity b = Quantity.Parse(right);

        Assert.Equal(expected, Quantity.Compare(a, b));
        Assert.Equal(-expected, b.CompareTo(a));
        Assert.Equal(expected == 0, a.Equals(b));
        Assert.Equal(expected == 0, a == b);
        Assert.Equal(expected != 0, a != b);
        Assert.Equal(expected < 0, a < b);
        Assert.Equal(expected <= 0, a <= b);
        Assert.Equal(expected > 0, a > b);
        Assert.Equal(expected >= 0, a >= b);
        if (expected == 0)
        {
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }
    }

    [Fact]
    public void Equals_Object_ComparesValue()
    {
        object boxed = Quantity.Parse("1024");

        Assert.True(Quantity.Parse("1Ki").Equals(boxed));
        Assert.False(Quantity.Parse("1Ki").Equals("1Ki"));
    }

    [Fact]
    public void Sort_MixedFormats_OrdersByValue()
    {
        string[] texts = ["1Gi", "1G", "100m", "-1", "1e3", "1Ki", "0"];
        List<Quantity> quantities = [.. texts.Select(Quantity.Parse)];

        quantities.Sort();

        Assert.Equal(["-1", "0", "100m", "1e3", "1Ki", "1G", "1Gi"], quantities.Select(q => q.ToString()));
    }

    [Fact]
    public void CompareEqualsHash_Int64Mantissas_DoNotAllocate()
    {
        Quantity[] values = [.. new[] { "1Gi", "1G", "100m", "-1", "1e3", "1Ki", "0", "9223372036854775807", "1n" }.Select(Quantity.Parse)];
        int sink = Exercise(values);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            sink += Exercise(values);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(int.MinValue, sink);

        static int Exercise(Quantity[] values)
        {
            int sum = 0;
            foreach (Quantity a in values)
            {
                foreach (Quantity b in values)
                {
                    sum += Quantity.Compare(a, b) + (a.Equals(b) ? 1 : 0) + (a == b ? 1 : 0) + a.GetHashCode();
                }
            }

            return sum;
        }
    }

    [Fact]
    public void TryFormat_Int64Mantissa_DoesNotAllocate()
    {
        Quantity[] values = [.. new[] { "1536Mi", "100m", "-1e3", "2k", "1.1Ki", "8Ei", "1000E" }.Select(Quantity.Parse)];
        Span<char> buffer = stackalloc char[64];
        int total = 0;
        foreach (Quantity value in values)
        {
            value.TryFormat(buffer, out int warm);
            total += warm;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (Quantity value in values)
        {
            Assert.True(value.TryFormat(buffer, out int written));
            total += written;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    [Fact]
    public void TryFormat_DestinationTooSmall_ReturnsFalse()
    {
        Span<char> buffer = stackalloc char[3];

        Assert.False(Quantity.Parse("1536Mi").TryFormat(buffer, out int written));
        Assert.Equal(0, written);
        Assert.True(Quantity.Parse("1Mi").TryFormat(buffer, out written));
        Assert.Equal("1Mi", buffer[..written].ToString());
    }

    [Theory]
    [InlineData("0", 0, 0)]
    [InlineData("1", 1, 1000)]
    [InlineData("-1", -1, -1000)]
    [InlineData("100m", 1, 100)]
    [InlineData("1500m", 2, 1500)]
    [InlineData("-1500m", -2, -1500)]
    [InlineData("0.0005", 1, 1)]
    [InlineData("-0.0005", -1, -1)]
    [InlineData("1n", 1, 1)]
    [InlineData("1Ki", 1024, 1024000)]
    [InlineData("1.5Gi", 1610612736, 1610612736000)]
    [InlineData(".484785E-1", 1, 49)]
    [InlineData("-.484785E-1", -1, -49)]
    [InlineData(".484785E-7466", 1, 1)]
    [InlineData("-.484785E-7466", -1, -1)]
    [InlineData("9.5000000001Gi", 10200547329, 10200547328108)]
    [InlineData("-9.5000000001Gi", -10200547329, -10200547328108)]
    [InlineData("9223372036854775807", long.MaxValue, long.MaxValue)]
    [InlineData("1E", 1_000_000_000_000_000_000, long.MaxValue)]
    [InlineData("1e30", long.MaxValue, long.MaxValue)]
    [InlineData("-1e30", long.MinValue, long.MinValue)]
    [InlineData("18446744073709551616m", 18446744073709552, long.MaxValue)]
    [InlineData("1e2147483647", long.MaxValue, long.MaxValue)]
    public void ValueAndMilliValue_RoundAwayFromZeroAndSaturate(string input, long value, long milliValue)
    {
        Quantity quantity = Quantity.Parse(input);

        Assert.Equal(value, quantity.Value);
        Assert.Equal(milliValue, quantity.MilliValue);
    }

    [Theory]
    [InlineData(-9, -9, 1)]
    [InlineData(-9, 0, 1)]
    [InlineData(-6, -9, 1000)]
    [InlineData(0, -9, 1_000_000_000)]
    [InlineData(2, -2, 10_000)]
    [InlineData(-3, -3, 1)]
    public void ScaledValue_FromScaledValue_ConvertsBetweenScales(int fromScale, int toScale, long expected) =>
        Assert.Equal(expected, Quantity.FromScaledValue(1, fromScale).ScaledValue(toScale));

    [Theory]
    [InlineData(1, QuantityFormat.DecimalSI, "1")]
    [InlineData(1000, QuantityFormat.DecimalSI, "1k")]
    [InlineData(1234000, QuantityFormat.DecimalSI, "1234k")]
    [InlineData(1024, QuantityFormat.BinarySI, "1Ki")]
    [InlineData(1024 * 1024, QuantityFormat.BinarySI, "1Mi")]
    [InlineData(1000000, QuantityFormat.DecimalExponent, "1e6")]
    [InlineData(1000000, (QuantityFormat)42, "1e6")]
    public void FromValue_Format_PrintsLikeNewQuantity(long value, QuantityFormat format, string expected)
    {
        Quantity quantity = Quantity.FromValue(value, format);

        Assert.Equal(expected, quantity.ToString());
        Assert.Equal(value, Quantity.Parse(expected).Value);
    }

    [Theory]
    [InlineData(1, QuantityFormat.DecimalSI, "1m")]
    [InlineData(1000, QuantityFormat.DecimalSI, "1")]
    [InlineData(1234000, QuantityFormat.DecimalSI, "1234")]
    [InlineData(1024, QuantityFormat.BinarySI, "1024m")]
    [InlineData(1024 * 1024, QuantityFormat.BinarySI, "1048576m")]
    [InlineData(1000000, QuantityFormat.DecimalExponent, "1e3")]
    public void FromMilliValue_Format_PrintsLikeNewMilliQuantity(long milliValue, QuantityFormat format, string expected) =>
        Assert.Equal(expected, Quantity.FromMilliValue(milliValue, format).ToString());

    [Theory]
    [InlineData(1, -9, "1n")]
    [InlineData(1000, -9, "1u")]
    [InlineData(1000, -3, "1")]
    [InlineData(0, -9, "0")]
    [InlineData(1, -12, "1e-12")]
    [InlineData(1, -10, "100e-12")]
    public void FromScaledValue_Scale_PrintsLikeNewScaledQuantity(long value, int scale, string expected) =>
        Assert.Equal(expected, Quantity.FromScaledValue(value, scale).ToString());

    [Theory]
    [InlineData("1Gi", "512Mi", "1536Mi")]
    [InlineData("1Gi", "1G", "2073741824")]
    [InlineData("1k", "24", "1024")]
    [InlineData("100m", "1Ki", "1024100m")]
    [InlineData("1e3", "1", "1001")]
    [InlineData("1e3", "1e3", "2e3")]
    [InlineData("1", "-100m", "900m")]
    [InlineData("100m", "0", "100m")]
    [InlineData("0", "1Gi", "1Gi")]
    [InlineData("0", "100m", "100m")]
    [InlineData("0", "0Ki", "0")]
    [InlineData("18446744073709551615", "1", "18446744073709551616")]
    [InlineData("9223372036854775807", "9223372036854775807", "18446744073709551614")]
    public void Add_TwoQuantities_IsExactInLeftFormat(string left, string right, string expected)
    {
        Quantity sum = Quantity.Parse(left).Add(Quantity.Parse(right));

        Assert.Equal(expected, sum.ToString());
    }

    [Theory]
    [InlineData("1", "100m", "900m")]
    [InlineData("1Gi", "512Mi", "512Mi")]
    [InlineData("1Gi", "1Gi", "0")]
    [InlineData("100m", "1", "-900m")]
    [InlineData("0", "1Gi", "-1Gi")]
    [InlineData("0", "100m", "-100m")]
    [InlineData("1Gi", "0", "1Gi")]
    [InlineData("-9223372036854775807", "2", "-9223372036854775809")]
    public void Sub_TwoQuantities_IsExactInLeftFormat(string left, string right, string expected)
    {
        Quantity difference = Quantity.Parse(left).Sub(Quantity.Parse(right));

        Assert.Equal(expected, difference.ToString());
    }

    [Fact]
    public void Add_FarApartExponents_KeepsEveryDigit()
    {
        Quantity sum = Quantity.Parse("1e100").Add(Quantity.Parse("1n"));

        Assert.Equal("1" + new string('0', 108) + "1e-9", sum.ToString());
        Assert.Equal(sum, Quantity.Parse(sum.ToString()));
        Assert.Equal(Quantity.Parse("1e100"), sum.Sub(Quantity.Parse("1n")));
    }

    [Fact]
    public void Add_ZeroLeft_TakesRightFormat()
    {
        Quantity sum = Quantity.Parse("0").Add(Quantity.Parse("1Gi"));

        Assert.Equal(QuantityFormat.BinarySI, sum.Format);
        Assert.Equal(QuantityFormat.BinarySI, Quantity.Parse("0").Add(Quantity.Parse("0Ki")).Format);
        Assert.Equal(QuantityFormat.DecimalSI, Quantity.Parse("1").Add(Quantity.Parse("1Ki")).Format);
    }

    [Fact]
    public void Add_BinaryPastEi_FallsBackToExactDecimal()
    {
        Quantity quantity = Quantity.Parse("4Ei");
        quantity = quantity.Add(quantity);
        Assert.Equal("8Ei", quantity.ToString());

        for (int i = 0; i < 7; i++)
        {
            quantity = quantity.Add(quantity);
        }

        // 2^70 = 1024Ei: Kubernetes has no larger binary suffix and prints it exactly.
        Assert.Equal("1180591620717411303424", quantity.ToString());
        Assert.Equal(quantity, Quantity.Parse(quantity.ToString()));
    }

    [Fact]
    public void Add_HugeExponentGap_ThrowsOverflowException()
    {
        var ex = Assert.Throws<OverflowException>(() => Quantity.Parse("1e20000").Add(Quantity.Parse("1")));

        Assert.Contains("100e19998", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddThenSub_RandomScaledValues_CancelOut()
    {
        var random = new Random(20240601);
        for (int scale = -10; scale <= 10; scale++)
        {
            Quantity total = default;
            var added = new List<Quantity>();
            for (int i = 0; i < 100; i++)
            {
                Quantity item = Quantity.FromScaledValue(random.NextInt64(), (int)(random.NextInt64() % 20) - 10 + scale);
                added.Add(item);
                total = total.Add(item);
            }

            foreach (Quantity item in added)
            {
                total = total.Sub(item);
            }

            Assert.True(total.IsZero, $"scale {scale}: {total}");
        }
    }

    [Theory]
    [InlineData("1Ki", "-1Ki")]
    [InlineData("-100m", "100m")]
    [InlineData("0", "0")]
    [InlineData("1e3", "-1e3")]
    public void Negate_Quantity_FlipsSignKeepsFormat(string input, string expected)
    {
        Quantity quantity = Quantity.Parse(input);

        Assert.Equal(expected, quantity.Negate().ToString());
        Assert.Equal(quantity, quantity.Negate().Negate());
        Assert.Equal(-quantity.Sign, quantity.Negate().Sign);
    }

    [Fact]
    public void ParseToString_RandomQuantities_RoundTrip()
    {
        string[] suffixes =
        [
            "", "n", "u", "m", "k", "M", "G", "T", "P", "E",
            "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
        ];
        const int seed = 1234567;
        var random = new Random(seed);
        for (int i = 0; i < 20_000; i++)
        {
            string text = RandomQuantityText(random, suffixes);

            Quantity quantity = Quantity.Parse(text);
            string canonical = quantity.ToString();
            Quantity reparsed = Quantity.Parse(canonical);

            Assert.True(quantity == reparsed, $"seed {seed} #{i}: {text} -> {canonical} -> {reparsed}");
            Assert.Equal(canonical, reparsed.ToString());
            Assert.Equal(0, Quantity.Compare(quantity, reparsed));
            Assert.Equal(quantity.GetHashCode(), reparsed.GetHashCode());
        }
    }

    private static string RandomQuantityText(Random random, string[] suffixes)
    {
        string sign = random.Next(4) switch { 0 => "-", 1 => "+", _ => "" };
        string whole = RandomDigits(random, random.Next(0, 22));
        string fraction = random.Next(3) == 0 ? "" : RandomDigits(random, random.Next(0, 13));
        if (whole.Length == 0 && fraction.Length == 0)
        {
            whole = RandomDigits(random, 1);
        }

        string number = random.Next(4) switch
        {
            0 when fraction.Length > 0 => $"{whole}.{fraction}",
            0 => $"{whole}.",
            1 when whole.Length > 0 => whole,
            _ => fraction.Length > 0 ? $"{whole}.{fraction}" : whole,
        };

        string suffix = random.Next(4) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(random.Next(2) == 0 ? 'e' : 'E')}{random.Next(-30, 31)}")
            : suffixes[random.Next(suffixes.Length)];
        return sign + number + suffix;
    }

    private static string RandomDigits(Random random, int count)
    {
        var digits = new char[count];
        for (int i = 0; i < count; i++)
        {
            // Zeros twice as likely, so trailing/leading zero handling gets exercised.
            int digit = random.Next(12);
            digits[i] = digit >= 10 ? '0' : (char)('0' + digit);
        }

        return new string(digits);
    }
}
