using XmppDotNet.Xtls.Demo;

return await HostDemo.RunAsync(Console.Out).ConfigureAwait(false);
