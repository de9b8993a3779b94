using System.CommandLine;
using System.Text;

namespace Ferry.Cli;

/// <summary>A man page (roff, section 1) written from the command definitions: <c>ferry help --man &gt; ferry.1</c>.</summary>
public static class ManPage
{
    public static string Render(Command root, string version)
    {
        var page = new StringBuilder();
        page.AppendLine($".TH FERRY 1 \"\" \"ferry {Escape(version)}\" \"User Commands\"");
        page.AppendLine(".SH NAME");
        page.AppendLine($"ferry \\- {Escape(root.Description ?? "")}");
        page.AppendLine(".SH SYNOPSIS");
        page.AppendLine(".B ferry");
        page.AppendLine("[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]");
        page.AppendLine(".SH GLOBAL OPTIONS");
        foreach (var option in root.Options.Where(o => !o.Hidden))
        {
            Option(page, option);
        }
        page.AppendLine(".SH COMMANDS");
        // A command of commands (ferry profile) is described by its commands (ferry profile init).
        var commands = root.Subcommands.Where(c => !c.Hidden)
            .SelectMany(c => c.Subcommands.Any(s => !s.Hidden) ? c.Subcommands.Where(s => !s.Hidden).Select(s => (Name: $"{c.Name} {s.Name}", Command: s)) : [(c.Name, c)]);
        foreach (var (name, command) in commands)
        {
            page.AppendLine($".SS \"{Escape(Usage(name, command))}\"");
            page.AppendLine(Escape(command.Description ?? ""));
            foreach (var argument in command.Arguments.Where(a => !a.Hidden))
            {
                page.AppendLine(".TP");
                page.AppendLine($"\\fI{Escape(argument.Name)}\\fR");
                page.AppendLine(Escape(argument.Description ?? ""));
            }
            foreach (var option in command.Options.Where(o => !o.Hidden && o is not System.CommandLine.Help.HelpOption))
            {
                Option(page, option);
            }
        }
        page.AppendLine(".SH EXIT STATUS");
        foreach (var (code, meaning) in FerryApp.ExitCodeMeanings)
        {
            page.AppendLine(".TP");
            page.AppendLine($".B {code}");
            page.AppendLine(Escape(meaning));
        }
        page.AppendLine(".SH ENVIRONMENT");
        foreach (var (name, meaning) in HelpText.Environment)
        {
            page.AppendLine(".TP");
            page.AppendLine($".B {Escape(name)}");
            page.AppendLine(Escape(meaning));
        }
        page.AppendLine(".SH SEE ALSO");
        page.AppendLine("gpg(1), tar(1), pg_dump(1); docs/format.md and docs/profiles.md in Ferry's repository.");
        return page.ToString();
    }

    private static string Usage(string name, Command command) =>
        $"ferry {name}" + string.Concat(command.Arguments.Where(a => !a.Hidden).Select(a => $" {a.Name.ToUpperInvariant()}")) + " [OPTIONS]";

    private static void Option(StringBuilder page, Option option)
    {
        var names = string.Join(", ", option.Aliases.Prepend(option.Name).Select(n => $"\\fB{Escape(n)}\\fR"));
        var value = option.ValueType == typeof(bool) ? "" : $" \\fI{Escape(option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant())}\\fR";
        page.AppendLine(".TP");
        page.AppendLine(names + value);
        page.AppendLine(Escape(option.Description ?? "") + (option.Required ? " (required)" : ""));
    }

    // roff: a backslash is written \e, and a line must not start with a dot or a quote.
    private static string Escape(string text)
    {
        var escaped = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal);
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }
}
