// What a third-party developer writes against the C# client NSwag generates from openapi/paco.v1.json, run against a
// live API: public reads, then an editorial cycle (merge patch with If-Match, its diff, publish with If-Match) and a 304.
// Exits 1 with a message saying what differed from the contract; 0 when everything held.
//
//   PACO_BASE_URL=http://127.0.0.1:5080 PACO_API_KEY=paco_… dotnet run --project tests/clients/csharp
using System.Net.Http.Headers;
using System.Text.Json;
using Paco.Clients;
using Paco.Clients.Generated;

try
{
    await Scenario.RunAsync(Scenario.Environment("PACO_BASE_URL"), Scenario.Environment("PACO_API_KEY"));
    Console.WriteLine("scenario passed");
    return 0;
}
catch (MismatchException mismatch)
{
    Console.Error.WriteLine($"FAILED: {mismatch.Message}");
    return 1;
}
catch (Exception error)
{
    Console.Error.WriteLine($"FAILED with an error: {error}");
    return 1;
}

namespace Paco.Clients
{
    public sealed class MismatchException(string message) : Exception(message);

    public static class Scenario
    {
        public static string Environment(string name) =>
            System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new MismatchException($"{name} is not set");

        private static void Expect(bool condition, string message)
        {
            if (!condition)
            {
                throw new MismatchException(message);
            }
        }

        private static void Step(string text) => Console.WriteLine($"ok: {text}");

        private static string? Header(SwaggerResponse response, string name) =>
            response.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

        private static string ETagOf(string call, SwaggerResponse response)
        {
            var etag = Header(response, "ETag");
            Expect(etag is not null && etag.Length > 2 && etag[0] == '"' && etag[^1] == '"', $"{call} answered no strong ETag (got {etag})");
            return etag!;
        }

        /// <summary>Any other status than the expected one is a mismatch that says what the API answered.</summary>
        private static async Task<SwaggerResponse<T>> CallAsync<T>(string call, Func<Task<SwaggerResponse<T>>> send)
        {
            try
            {
                return await send();
            }
            catch (ApiException error)
            {
                throw new MismatchException($"{call} answered {error.StatusCode}: {error.Response}");
            }
        }

        public static async Task RunAsync(string baseUrl, string apiKey)
        {
            using var http = new HttpClient();
            var api = new PacoClient(http) { BaseUrl = baseUrl, ReadResponseAsString = true }; // problem details text in ApiException.Response
            using var editorHttp = new HttpClient();
            editorHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            var editor = new PacoClient(editorHttp) { BaseUrl = baseUrl, ReadResponseAsString = true };

            var ready = await CallAsync("GET /health/ready", () => api.ReadyAsync());
            Expect(ready.Result == "Healthy", $"GET /health/ready answered '{ready.Result}'");
            Step("GET /health/ready answers Healthy");

            // 1. Institutions, then the organs of the first one that has an organ whose competences cite a law.
            var institutions = (await CallAsync("GET /institutions", () => api.ListInstitutionsAsync())).Result;
            Expect(institutions.Items.Count > 0, "GET /institutions listed no institution");
            Step($"{institutions.Items.Count} institutions: {string.Join(", ", institutions.Items.Select(i => i.Slug))}");

            (string Institution, OrganResponse Organ, CitationResponse Citation)? found = null;
            foreach (var institution in institutions.Items)
            {
                var listed = await CallAsync($"GET /institutions/{institution.Slug}/organs", () => api.ListOrgansAsync(institution.Slug, pageSize: 100));
                Expect(Header(listed, "X-Total-Count") == listed.Result.Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"X-Total-Count {Header(listed, "X-Total-Count")} differs from total {listed.Result.Total}");
                Step($"{institution.Slug}: {listed.Result.Total} organs");
                foreach (var summary in listed.Result.Items)
                {
                    var organ = await ReadOrganAsync(api, institution.Slug, summary);
                    var citation = organ.Competences.SelectMany(c => c.Citations).FirstOrDefault();
                    if (found is null && citation is not null)
                    {
                        found = (institution.Slug, organ, citation);
                    }
                }
                if (found is not null)
                {
                    break;
                }
            }
            Expect(found is not null, "no organ of any institution has a competence citing a legal basis");
            var (slug, cited, firstCitation) = found!.Value;

            // 2. The legal basis a competence cites, and the organs it says cite it.
            var legalBasis = (await CallAsync($"GET legal-bases/{firstCitation.LegalBasis.Slug}",
                () => api.GetLegalBasisAsync(slug, firstCitation.LegalBasis.Slug))).Result;
            Expect(legalBasis.Id == firstCitation.LegalBasis.Id, $"legal basis {legalBasis.Slug} has id {legalBasis.Id}, the citation says {firstCitation.LegalBasis.Id}");
            Expect(legalBasis.Title == firstCitation.LegalBasis.Title, $"legal basis title '{legalBasis.Title}' differs from the citation's '{firstCitation.LegalBasis.Title}'");
            Expect(legalBasis.CitedBy.Any(c => c.Organ.Id == cited.Id), $"legal basis {legalBasis.Slug} does not list {cited.Slug} among the organs citing it");
            Step($"legal basis {legalBasis.Slug} ({legalBasis.Title}, {legalBasis.Status}) is cited by {legalBasis.CitedBy.Count} organs");

            // 3. Edit the organ's draft with a merge patch, sending the draft's ETag as If-Match.
            var draftRead = await CallAsync($"GET organs/{cited.Slug}/draft", () => editor.GetOrganDraftAsync(slug, cited.Slug));
            var draft = draftRead.Result;
            var draftETag = ETagOf($"GET organs/{cited.Slug}/draft", draftRead);
            Step($"draft of {cited.Slug} is revision {draft.Revision}, ETag {draftETag}");

            var mission = $"Missão revista pelo cliente C# gerado ({DateTimeOffset.UtcNow:O})";
            const string note = "Revisão da missão pelo cliente gerado";
            var patch = new OrganDocumentMergePatch { Statements = new StatementsMergePatch { Mission = mission } };
            var patched = await CallAsync($"PATCH organs/{cited.Slug}",
                () => editor.PatchOrganAsync(slug, cited.Slug, draftETag, patch, Uri.EscapeDataString(note)));
            var edited = patched.Result;
            var editedETag = ETagOf($"PATCH organs/{cited.Slug}", patched);
            var before = draft.Document;
            var after = edited.Document;
            Expect(edited.Revision == draft.Revision + 1, $"PATCH made revision {edited.Revision}, expected {draft.Revision + 1}");
            Expect(after.Statements.Mission == mission, $"PATCH stored mission '{after.Statements.Mission}'");
            Expect(edited.Note == note, $"PATCH stored note '{edited.Note}', sent '{note}' in X-Change-Note");
            // What the merge patch did not mention stays as it was.
            Expect(after.Name == before.Name && after.DisplayOrder == before.DisplayOrder,
                $"PATCH changed name or displayOrder ('{after.Name}', {after.DisplayOrder}), which the merge patch did not mention");
            Expect(after.Competences.Count == before.Competences.Count && after.Values.Count == before.Values.Count
                && after.LegalBases.Count == before.LegalBases.Count,
                $"PATCH changed competences, values or legal bases ({before.Competences.Count} → {after.Competences.Count}, " +
                $"{before.Values.Count} → {after.Values.Count}, {before.LegalBases.Count} → {after.LegalBases.Count}), which the merge patch did not mention");
            Step($"patched {cited.Slug}: revision {edited.Revision}, ETag {editedETag}");

            // The diff of the two revisions names the one change; an operation's value is any JSON.
            var diff = (await CallAsync($"GET organs/{cited.Slug}/diff",
                () => editor.DiffOrganRevisionsAsync(slug, cited.Slug, draft.Revision, edited.Revision))).Result;
            Expect(diff.Patch.Count == 1 && diff.Patch.Single() is { Path: "/statements/mission", Value: JsonElement { ValueKind: JsonValueKind.String } value }
                && value.GetString() == mission,
                $"diff {draft.Revision} → {edited.Revision} is {JsonSerializer.Serialize(diff.Patch)}, expected the one change of /statements/mission");
            Step($"diff {diff.From} → {diff.To}: {string.Join("; ", diff.Summary)}");

            // The ETag read before the edit is stale now: the same If-Match is refused with 412 and the current ETag.
            try
            {
                await editor.PatchOrganAsync(slug, cited.Slug, draftETag, new OrganDocumentMergePatch { Statements = new StatementsMergePatch { Mission = "lost update" } });
                throw new MismatchException("PATCH with a stale If-Match was accepted, expected 412");
            }
            catch (ApiException stale) when (stale.StatusCode == 412)
            {
                var current = stale.Headers.FirstOrDefault(h => string.Equals(h.Key, "ETag", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
                Expect(current == editedETag, $"412 carried ETag {current}, the current one is {editedETag}");
            }
            Step("a stale If-Match is refused with 412 and the current ETag");

            // 4. Publish that revision with If-Match.
            var state = (await CallAsync($"POST organs/{cited.Slug}/publish",
                () => editor.PublishOrganAsync(slug, cited.Slug, editedETag, new PublishRequest { Revision = edited.Revision }))).Result;
            Expect(state.State.PublishedRevision == edited.Revision, $"publish left revision {state.State.PublishedRevision} published, expected {edited.Revision}");
            Step($"published revision {edited.Revision}");

            // 5. The public read shows the change; revalidating with its ETag costs a 304 (NSwag throws for any status but 2xx).
            var reread = await CallAsync($"GET organs/{cited.Slug}", () => api.GetOrganAsync(slug, cited.Slug));
            Expect(reread.Result.Statements.Mission == mission, $"the published organ's mission is '{reread.Result.Statements.Mission}', expected '{mission}'");
            Expect(reread.Result.Competences.Count == cited.Competences.Count, $"the published organ has {reread.Result.Competences.Count} competences, it had {cited.Competences.Count}");
            Expect(reread.Result.Revision.Number == edited.Revision, $"the published organ is revision {reread.Result.Revision.Number}, expected {edited.Revision}");
            var publicETag = ETagOf($"GET organs/{cited.Slug}", reread);
            Step($"GET {cited.Slug} shows the new mission at revision {reread.Result.Revision.Number}");

            try
            {
                var unexpected = await api.GetOrganAsync(slug, cited.Slug, if_None_Match: publicETag);
                throw new MismatchException($"GET with If-None-Match {publicETag} answered {unexpected.StatusCode}, expected 304");
            }
            catch (ApiException notModified) when (notModified.StatusCode == 304)
            {
                Step("GET with If-None-Match answers 304");
            }
        }

        /// <summary>Reads one organ and checks it against its list entry: nullable references are null or complete, never half there.</summary>
        private static async Task<OrganResponse> ReadOrganAsync(PacoClient api, string institution, OrganSummary summary)
        {
            var organ = (await CallAsync($"GET organs/{summary.Slug}", () => api.GetOrganAsync(institution, summary.Slug))).Result;
            Expect(organ.Id == summary.Id && organ.Name == summary.Name, $"organ {summary.Slug} differs from its list entry");
            if (summary.ParentId is null)
            {
                Expect(organ.Parent is null, $"{organ.Slug} has no parentId in the list but parent {organ.Parent?.Slug}");
            }
            else
            {
                Expect(organ.Parent is not null && organ.Parent.Id == summary.ParentId, $"{organ.Slug}: parent {organ.Parent?.Id}, the list says {summary.ParentId}");
            }
            Expect(organ.Head is null || organ.Head.Title.Length > 0, $"{organ.Slug} has a head without a title");
            foreach (var competence in organ.Competences)
            {
                foreach (var citation in competence.Citations)
                {
                    Expect(citation.LegalBasis.Slug.Length > 0 && citation.Text.Length > 0,
                        $"{organ.Slug}: a citation of competence {competence.Label ?? competence.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)} has no legal basis or text");
                }
            }
            Step($"organ {organ.Slug}: parent {organ.Parent?.Slug ?? "none"}, head {organ.Head?.Title ?? "none"}, " +
                $"{organ.Competences.Count} competences, {organ.Competences.Sum(c => c.Citations.Count)} citations, revision {organ.Revision.Number}");
            return organ;
        }
    }
}

namespace Paco.Clients.Generated
{
    public partial class PacoClient
    {
        // In a merge patch null removes a member, and a C# object cannot tell "not set" from null: members left unset
        // are left out of the body, not sent as null.
        static partial void UpdateJsonSerializerSettings(System.Text.Json.JsonSerializerOptions settings) =>
            settings.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
    }
}
