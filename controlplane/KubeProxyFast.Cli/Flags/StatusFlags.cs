using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace KubeProxyFast.Cli.Flags;

/// <summary>
/// Where a role serves <c>/healthz</c> and <c>/metrics</c>: kube-controller-manager's and
/// kube-scheduler's <c>--bind-address</c> and <c>--secure-port</c> (plain HTTP for now; TLS comes
/// with authentication). In <c>kpf server</c> each role has its own port flag and listens on loopback.
/// </summary>
internal sealed class StatusFlags
{
    private readonly Option<string>? _bind;
    private readonly Option<int> _port;

    /// <summary>The flags.</summary>
    /// <param name="bindFlag">The address flag (<c>--bind-address</c>), or null for loopback only.</param>
    /// <param name="portFlag">The port flag (<c>--secure-port</c>, <c>--scheduler-secure-port</c>).</param>
    /// <param name="defaultPort">Kubernetes' port of the component (10257, 10259).</param>
    public StatusFlags(string? bindFlag, string portFlag, int defaultPort)
    {
        if (bindFlag is not null)
        {
            _bind = new Option<string>(bindFlag)
            {
                Description = "Address of /healthz and /metrics (plain HTTP, so loopback by default)",
                HelpName = "ip",
                DefaultValueFactory = _ => IPAddress.Loopback.ToString(),
                CustomParser = result =>
                {
                    var text = result.Tokens[0].Value;
                    if (!IPAddress.TryParse(text, out _))
                    {
                        result.AddError($"{bindFlag}: \"{text}\" is not an IP address");
                    }

                    return text;
                },
            };
        }

        _port = new Option<int>(portFlag)
        {
            Description = "Port of /healthz and /metrics, plain HTTP for now (0: any free port)",
            HelpName = "port",
            DefaultValueFactory = _ => defaultPort,
            CustomParser = result => ParsePort(portFlag, result),
        };
    }

    /// <summary>The port flag's name, for errors.</summary>
    public string PortFlag => _port.Name;

    /// <summary>Adds the flags.</summary>
    public void AddTo(Command command)
    {
        if (_bind is not null)
        {
            command.Options.Add(_bind);
        }

        command.Options.Add(_port);
    }

    /// <summary>The address to listen on.</summary>
    public IPEndPoint Bind(ParseResult parse)
    {
        var address = _bind is null ? IPAddress.Loopback : IPAddress.Parse(parse.GetValue(_bind)!);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new IPEndPoint(address, parse.GetValue(_port));
    }

    private static int ParsePort(string flag, ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            result.AddError($"{flag}: \"{text}\": must be a number from 0 to 65535");
        }

        return port;
    }
}
