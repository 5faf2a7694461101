namespace KubeProxyFast.Client.Metrics;

/// <summary>A <see cref="double"/> updated without a lock: a compare-and-swap loop, as client_golang's atomic float adds.</summary>
internal struct AtomicDouble
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Set(double value) => Interlocked.Exchange(ref _value, value);

    public void Add(double delta)
    {
        var current = Volatile.Read(ref _value);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _value, current + delta, current);
            // Compare bits, not values: NaN never equals itself and would loop forever.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}
