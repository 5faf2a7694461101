using KubeProxyFast.Client.Metrics;

namespace KubeProxyFast.Client.Tests.Metrics;

/// <summary><see cref="MetricsRegistry"/>: the text exposition format, bounded families, registration rules.</summary>
public sealed class MetricsRegistryTests
{
    private readonly MetricsRegistry _registry = new();

    [Fact]
    public void Render_CountersAndGauges_WritesHelpTypeAndSeriesSortedByNameThenLabels()
    {
        var adds = _registry.Counter("workqueue_adds_total", "Total number of adds handled by workqueue", ["name"]);
        var depth = _registry.Gauge("workqueue_depth", "Current depth of workqueue", ["name"]);
        adds.WithLabels("replicationmanager").Add(3);
        adds.WithLabels("endpoint").Inc();
        depth.WithLabels("endpoint").Set(2.5);
        depth.WithLabels("endpoint").Dec();

        Assert.Equal(
            """
            # HELP workqueue_adds_total Total number of adds handled by workqueue
            # TYPE workqueue_adds_total counter
            workqueue_adds_total{name="endpoint"} 1
            workqueue_adds_total{name="replicationmanager"} 3
            # HELP workqueue_depth Current depth of workqueue
            # TYPE workqueue_depth gauge
            workqueue_depth{name="endpoint"} 1.5

            """.ReplaceLineEndings("\n"),
            _registry.Render());
    }

    [Fact]
    public void Render_Histogram_WritesCumulativeBucketsInfSumAndCount()
    {
        var family = _registry.Histogram("op_duration_seconds", "Duration.", [0.1, 1], ["op"]);
        var get = family.WithLabels("get");
        get.Observe(0.05);
        get.Observe(0.1);
        get.Observe(0.5);
        get.Observe(7);

        Assert.Equal(
            """
            # HELP op_duration_seconds Duration.
            # TYPE op_duration_seconds histogram
            op_duration_seconds_bucket{op="get",le="0.1"} 2
            op_duration_seconds_bucket{op="get",le="1"} 3
            op_duration_seconds_bucket{op="get",le="+Inf"} 4
            op_duration_seconds_sum{op="get"} 7.65
            op_duration_seconds_count{op="get"} 4

            """.ReplaceLineEndings("\n"),
            _registry.Render());
        Assert.Equal(4, get.Count);
    }

    [Fact]
    public void Render_HistogramWithoutLabels_WritesLeAsOnlyLabelAndGoStyleExponents()
    {
        _registry.Histogram("tiny_seconds", "Tiny.", Buckets.Exponential(10e-9, 10, 2)).WithLabels().Observe(1e-8);

        var text = _registry.Render();

        Assert.Contains("tiny_seconds_bucket{le=\"1e-08\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("tiny_seconds_bucket{le=\"1e-07\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("tiny_seconds_sum 1e-08\n", text, StringComparison.Ordinal);
        Assert.Contains("tiny_seconds_count 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LabelValueAndHelpWithSpecialCharacters_AreEscaped()
    {
        _registry.Counter("odd_total", "Line one\nback\\slash \"quoted\"", ["value"]).WithLabels("a\"b\\c\nd").Inc();

        var text = _registry.Render();

        Assert.Contains("# HELP odd_total Line one\\nback\\\\slash \"quoted\"\n", text, StringComparison.Ordinal);
        Assert.Contains("odd_total{value=\"a\\\"b\\\\c\\nd\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SpecialValues_AreWrittenAsTheFormatSpellsThem()
    {
        var gauge = _registry.Gauge("special", "Special.", ["v"]);
        gauge.WithLabels("inf").Set(double.PositiveInfinity);
        gauge.WithLabels("minus").Set(double.NegativeInfinity);
        gauge.WithLabels("nan").Set(double.NaN);

        var text = _registry.Render();

        Assert.Contains("special{v=\"inf\"} +Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("special{v=\"minus\"} -Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("special{v=\"nan\"} NaN\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithLabels_BeyondMaxSeries_IsRefusedCountedAndNotExposed()
    {
        var family = _registry.Counter("bounded_total", "Bounded.", ["key"], maxSeries: 2);
        family.WithLabels("a").Inc();
        family.WithLabels("b").Inc();

        var refused = family.WithLabels("c");
        refused.Inc();
        family.WithLabels("d").Inc();
        family.WithLabels("a").Inc();

        var text = _registry.Render();
        Assert.Equal(2, family.RefusedSeries);
        Assert.Contains("bounded_total{key=\"a\"} 2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("key=\"c\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("key=\"d\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithLabels_SameValuesInANewArray_GivesTheSameSeries()
    {
        var family = _registry.Counter("same_total", "Same.", ["a", "b"]);
        var values = new[] { "x", "y" };
        var first = family.WithLabels(values);
        values[0] = "changed";

        Assert.Same(first, family.WithLabels("x", "y"));
        Assert.NotSame(first, family.WithLabels("changed", "y"));
    }

    [Fact]
    public void WithLabels_WrongNumberOfValues_ThrowsNamingTheLabels()
    {
        var family = _registry.Counter("two_total", "Two.", ["a", "b"]);

        var error = Assert.Throws<ArgumentException>(() => family.WithLabels("x"));

        Assert.Contains("two_total has 2 label(s) (a, b), given 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counter_ManyThreadsIncrementing_LosesNoIncrement()
    {
        var counter = _registry.Counter("racy_total", "Racy.").WithLabels();
        var histogram = _registry.Histogram("racy_seconds", "Racy.", [1]).WithLabels();

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Inc();
                histogram.Observe(0.5);
            }
        });

        Assert.Equal(80_000, counter.Value);
        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(40_000, histogram.Sum);
    }

    [Fact]
    public void Counter_NegativeAdd_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _registry.Counter("down_total", "Down.").WithLabels().Add(-1));

    [Fact]
    public void Counter_SameNameTypeAndLabelsAgain_GivesTheSameFamily() =>
        Assert.Same(_registry.Counter("again_total", "Again.", ["a"]), _registry.Counter("again_total", "Again.", ["a"]));

    [Fact]
    public void Gauge_NameAlreadyACounter_ThrowsNamingTheMetric()
    {
        _registry.Counter("taken_total", "Taken.");

        var error = Assert.Throws<ArgumentException>(() => _registry.Gauge("taken_total", "Taken."));

        Assert.Contains("metric taken_total is already registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_OtherBucketsUnderTheSameName_Throws()
    {
        _registry.Histogram("h_seconds", "H.", [1, 2]);

        Assert.Throws<ArgumentException>(() => _registry.Histogram("h_seconds", "H.", [1, 3]));
    }

    [Theory]
    [InlineData("1starts_with_digit", null)]
    [InlineData("has-dash", null)]
    [InlineData("good_name", "bad-label")]
    [InlineData("good_name", "__reserved")]
    public void Counter_InvalidNames_Throw(string name, string? label) =>
        Assert.Throws<ArgumentException>(() => _registry.Counter(name, "Help.", label is null ? null : [label]));

    [Fact]
    public void Histogram_LeLabelOrUnsortedBuckets_Throw()
    {
        Assert.Throws<ArgumentException>(() => _registry.Histogram("a_seconds", "A.", [1], ["le"]));
        Assert.Throws<ArgumentException>(() => _registry.Histogram("b_seconds", "B.", [2, 1]));
        Assert.Throws<ArgumentException>(() => _registry.Histogram("c_seconds", "C.", []));
    }

    [Fact]
    public void OnCollect_BeforeEachRenderUntilDisposed_SetsReadGauges()
    {
        var gauge = _registry.Gauge("read_at_scrape", "Read.").WithLabels();
        var calls = 0;
        var collector = _registry.OnCollect(() => gauge.Set(++calls));

        Assert.Contains("read_at_scrape 1\n", _registry.Render(), StringComparison.Ordinal);
        Assert.Contains("read_at_scrape 2\n", _registry.Render(), StringComparison.Ordinal);
        collector.Dispose();
        Assert.Contains("read_at_scrape 2\n", _registry.Render(), StringComparison.Ordinal);
    }
}
