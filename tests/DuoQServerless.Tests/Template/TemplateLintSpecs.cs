using System.Diagnostics;
using DuoQServerless.Testing;

namespace DuoQServerless.Tests.Template;

public sealed class TemplateLintSpecs
{
    [Fact]
    public async Task The_SAM_template_passes_cfn_lint_with_no_errors_or_warnings()
    {
        var start = new ProcessStartInfo("cfn-lint")
        {
            ArgumentList = { "--format", "parseable", "template.yaml" },
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var lint = Process.Start(start)!;
        var stdout = lint.StandardOutput.ReadToEndAsync();
        var stderr = lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync();

        Assert.True(lint.ExitCode == 0, $"cfn-lint exited {lint.ExitCode}:\n{await stdout}\n{await stderr}");
        Assert.Equal("", (await stdout).Trim());
    }
}
