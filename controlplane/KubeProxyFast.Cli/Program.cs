using KubeProxyFast.Cli;

return KpfCommandLine.Run(args, Console.Out, Console.Error);
