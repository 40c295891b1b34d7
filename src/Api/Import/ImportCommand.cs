using System.Globalization;
using System.Text;

namespace Paco.Api.Import;

/// <summary>
/// <c>import FILE --institution SLUG [--apply]</c>: the proposal for a file, as a summary a person reads; with --apply,
/// its drafts, written as the API writes them (author "command line import").
/// </summary>
public static class ImportCommand
{
    public const string Author = "command line import";

    private const string Usage = "Usage: import FILE --institution SLUG [--apply]   (FILE: a text or a saved .html page)";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var file = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a != Value(args, "--institution"));
        var institution = Value(args, "--institution");
        if (file is null || institution is null)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }
        // dotnet run starts the app in the project's folder: a relative path is the caller's, whose shell says where it was.
        if (!Path.IsPathRooted(file) && Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } callerDirectory && File.Exists(Path.Combine(callerDirectory, file)))
        {
            file = Path.Combine(callerDirectory, file);
        }
        if (!File.Exists(file))
        {
            await output.WriteLineAsync($"No file '{file}'.");
            return 2;
        }
        var bytes = await File.ReadAllBytesAsync(file);
        var html = Path.GetExtension(file).ToLowerInvariant() is ".html" or ".htm" or ".xhtml"
            || Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 512)).TrimStart().StartsWith('<');
        var (text, refused) = ImportInput.Decode(bytes, html, latin1: false);
        if (text is null)
        {
            await output.WriteLineAsync(refused!.ProblemDetails.Detail);
            return 1;
        }
        await using var scope = services.CreateAsyncScope();
        var imports = scope.ServiceProvider.GetRequiredService<ImportService>();
        if (await imports.LoadExistingAsync(institution, CancellationToken.None) is not { } existing)
        {
            await output.WriteLineAsync(Data.InstitutionLookups.UnknownInstitution(institution));
            return 1;
        }
        var proposal = Importer.Propose(text.Text, text.Sha256, text.MediaType, existing);
        await output.WriteAsync(Summary(proposal));
        if (!args.Contains("--apply"))
        {
            await output.WriteLineAsync("Nothing was written. Run again with --apply to create these drafts.");
            return 0;
        }
        var outcome = await imports.ApplyAsync(institution, proposal, new ImportActor(Author, null), $"Imported from {Path.GetFileName(file)}", CancellationToken.None);
        if (outcome.Result is { } result)
        {
            foreach (var draft in result.LegalBases.Concat(result.Organs))
            {
                await output.WriteLineAsync($"{(draft.Created ? "created" : "new revision of")} {draft.Slug}: draft revision {draft.Revision} ({draft.Draft})");
            }
            await output.WriteLineAsync("Applied: review and publish the drafts.");
            return 0;
        }
        await output.WriteLineAsync("Nothing was written:");
        foreach (var line in (outcome.Conflicts ?? []).Concat(outcome.Invalid?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? []).Append(outcome.NotFound ?? "").Where(l => l.Length > 0))
        {
            await output.WriteLineAsync("  " + line);
        }
        return 1;
    }

    /// <summary>The proposal as a person reads it: the norm, each organ with its parent and what it holds, and the warnings.</summary>
    public static string Summary(ImportProposal proposal)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"Proposal for '{proposal.Institution}' from {proposal.Source.Characters} characters of {proposal.Source.MediaType} (sha256 {proposal.Source.Sha256[..12]}…)");
        if (proposal.LegalBasis is { } law)
        {
            text.AppendLine(invariant, $"Legal basis: {law.Title} [{law.Slug}]{(law.Existing is null ? " (new)" : " (existing)")}{(law.Urn is null ? "" : $" {law.Urn}")}");
            if (law.Summary is not null)
            {
                text.AppendLine(invariant, $"  {law.Summary}");
            }
        }
        foreach (var cited in proposal.CitedLegalBases)
        {
            text.AppendLine(invariant, $"Cited: {cited.Title} [{cited.Slug}]{(cited.Existing is null ? " (new)" : " (existing)")}");
        }
        text.AppendLine(invariant, $"Organs: {proposal.Organs.Count}");
        foreach (var organ in proposal.Organs)
        {
            var counts = organ.Competences.GroupBy(c => c.Group).Select(g => $"{g.Count()} {g.Key}");
            text.AppendLine(invariant, $"  {organ.Name} [{organ.Slug}, {organ.Kind}]{(organ.Parent is null ? "" : $" under {organ.Parent}")}{(organ.Existing is null ? "" : $" — new revision of revision {organ.Existing.Revision}")}");
            var parts = new List<string>();
            if (organ.Statements.Mission is not null) parts.Add("mission");
            if (organ.Statements.Vision is not null) parts.Add("vision");
            if (organ.Statements.Purpose is not null) parts.Add("purpose");
            if (organ.Statements.About is not null) parts.Add("about");
            if (organ.Values.Count > 0) parts.Add($"{organ.Values.Count} values");
            parts.AddRange(counts);
            if (parts.Count > 0)
            {
                text.AppendLine(invariant, $"    {string.Join(", ", parts)}");
            }
            foreach (var competence in organ.Competences.Take(3))
            {
                var citation = competence.Citations.FirstOrDefault();
                text.AppendLine(invariant, $"    {competence.Label ?? "•"} {Short(competence.Text)}{(citation is null ? "" : $" (art. {citation.Article}{(citation.Paragraph is null ? "" : $", § {citation.Paragraph}")}{(citation.Item is null ? "" : $", {citation.Item}")})")}");
            }
            if (organ.Competences.Count > 3)
            {
                text.AppendLine(invariant, $"    … and {organ.Competences.Count - 3} more");
            }
        }
        text.AppendLine(invariant, $"Warnings: {proposal.Warnings.Count}");
        foreach (var warning in proposal.Warnings)
        {
            text.AppendLine(invariant, $"  [{warning.Code}] {warning.Message}");
        }
        return text.ToString();
    }

    private static string Short(string text) => text.Length <= 90 ? text : text[..87] + "…";

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
