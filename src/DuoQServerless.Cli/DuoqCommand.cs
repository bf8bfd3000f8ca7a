namespace DuoQServerless.Cli;

/// <summary>The `duoq` entry point: takes everything it reads and returns the exit code.</summary>
public static class DuoqCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("duoq: no commands yet");
        return Task.FromResult(2);
    }
}
