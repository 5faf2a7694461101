using System.CommandLine;
using System.Globalization;
using KubeProxyFast.KubeProxy.Flags;

namespace KubeProxyFast.Cli.Flags;

/// <summary>Flag shapes that several roles' flag sets use: a choice among names, a Go duration, a positive number.</summary>
internal static class FlagParts
{
    // Choices have no DefaultValueFactory (an unset flag reads as null, and the caller applies the
    // default) because help would print the default as .NET formats it ("Random") next to the one
    // written as the flag takes it.
    public static Option<T?> Choice<T>(string name, string description, (string Name, T Value)[] choices, T defaultValue)
        where T : struct
    {
        var names = string.Join("|", choices.Select(c => c.Name));
        return new Option<T?>(name)
        {
            Description = $"{description} [default: {choices.First(c => c.Value.Equals(defaultValue)).Name}]",
            HelpName = names,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                foreach (var (choice, value) in choices)
                {
                    if (string.Equals(choice, text, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                result.AddError($"{name}: unknown value \"{text}\" (expected one of: {string.Join(", ", choices.Select(c => c.Name))})");
                return defaultValue;
            },
        };
    }

    /// <summary>A duration written as Go and Kubernetes flags take it (<c>250ms</c>, <c>1h30m</c>); unset reads as null.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan defaultValue, bool allowZero)
    {
        return new Option<TimeSpan?>(name)
        {
            Description = $"{description}; a Go duration such as 250ms, 10s, 1h30m [default: {GoDuration.Format(defaultValue)}]",
            HelpName = "duration",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!GoDuration.TryParse(text, out var value, out var problem))
                {
                    result.AddError($"{name}: {problem} (a number with a unit: ns, us, ms, s, m, h; e.g. 10s)");
                }
                else if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
                {
                    result.AddError($"{name}: \"{text}\": must be {(allowZero ? "zero or positive" : "positive")}");
                }

                return value;
            },
        };
    }

    /// <summary>A positive whole number; anything else is an error naming the flag.</summary>
    public static Option<int> PositiveInt(string name, string description, string helpName, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                result.AddError($"{name}: \"{text}\": must be a positive number");
            }

            return n;
        },
    };
}
