using System.Security.Cryptography;
using System.Text;

namespace Paco.Api.Import;

/// <summary>A text in, a proposal out: normalisation, structure recognition and proposal building, writing nothing.</summary>
public static class Importer
{
    public const string PlainText = "text/plain";
    public const string Html = "text/html";

    public static ImportProposal Propose(string text, string mediaType, ExistingContent existing) =>
        Propose(text, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), mediaType, existing);

    /// <param name="sha256">The hash of the body as received (hex), recorded in the drafts' provenance.</param>
    public static ImportProposal Propose(string text, string sha256, string mediaType, ExistingContent existing)
    {
        var html = mediaType == Html;
        var normalized = TextNormalizer.Normalize(text, html);
        return ProposalBuilder.Build(normalized, new ImportSource(sha256, text.Length, html ? Html : PlainText), existing);
    }
}
