return await DuoQServerless.Cli.DuoqCommand.RunAsync(args);
