using VizierOrleans.Cli;

return await VizierCommandLine.RunAsync(args);
