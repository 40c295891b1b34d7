using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>
/// The one path a document takes into the store, whatever the write (POST, PUT, PATCH, restore): the body is read
/// with the same rules (media type, JSON, no field named twice), then the document is read, prepared and validated
/// (its shape, its slug, its references) the same way.
/// </summary>
public static class DocumentInput
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>The body as a JSON object, or the problem: 415 for another media type, 400 for anything but one JSON object.</summary>
    public static async Task<(JsonObject? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string mediaType, CancellationToken cancellationToken)
    {
        var given = request.ContentType?.Split(';')[0].Trim() ?? "";
        var accepted = mediaType == MergePatch
            ? given.Equals(MergePatch, StringComparison.OrdinalIgnoreCase)
            // As the framework's JSON binding did: application/json and any application/…+json.
            : given.Equals(Json, StringComparison.OrdinalIgnoreCase)
              || (given.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && given.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!accepted)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: mediaType == MergePatch
                    ? "PATCH takes an RFC 7396 merge patch: send 'Content-Type: application/merge-patch+json'."
                    : $"Send the document as JSON: 'Content-Type: {Json}'."));
        }
        var (buffer, length) = await ReadBodyAsync(request, Limits.RequestBodyBytes, cancellationToken);
        if (buffer is null)
        {
            return (null, RequestBodies.TooLarge(request.ContentLength, Limits.RequestBodyBytes));
        }
        try
        {
            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            BodyBuffers.Return(buffer); // the parsed nodes own copies of what they hold
        }
    }

    private static (JsonObject? Body, ProblemHttpResult? Problem) Parse(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (null, Problems.BadRequest("The body is not valid UTF-8 text: JSON must be UTF-8 (RFC 8259 §8.1)."));
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: Strict);
            if (HasDuplicateNames(node))
            {
                return (null, Problems.BadRequest("The body names a field twice; each field may appear once."));
            }
        }
        catch (JsonException exception)
        {
            return (null, Problems.BadRequest(JsonErrors.Describe(exception)));
        }
        return node is JsonObject body ? (body, null) : (null, Problems.BadRequest("The body must be a JSON object."));
    }

    /// <summary>Bodies are read into buffers of <see cref="PacoJson.Buffers"/>, returned as soon as the body is parsed.</summary>
    public static System.Buffers.ArrayPool<byte> BodyBuffers => PacoJson.Buffers;

    private const int ChunkedStart = 16 * 1024;

    /// <summary>
    /// The whole body in a pooled buffer (to return to <see cref="BodyBuffers"/>) and its length; a null buffer when it is
    /// longer than <paramref name="maximum"/> bytes. A declared length is read into a buffer of that length; a body
    /// without one (chunked) into a buffer that doubles as it fills, and is given up the moment it passes the limit.
    /// </summary>
    public static async Task<(byte[]? Buffer, int Length)> ReadBodyAsync(HttpRequest request, long maximum, CancellationToken cancellationToken)
    {
        var limit = (int)maximum;
        if (request.ContentLength is long declared)
        {
            if (declared > limit)
            {
                return (null, 0); // LimitedBody answers this before the handler runs; here for any other caller
            }
            var exact = BodyBuffers.Rent((int)declared);
            try
            {
                await request.Body.ReadExactlyAsync(exact.AsMemory(0, (int)declared), cancellationToken);
                return (exact, (int)declared);
            }
            catch
            {
                BodyBuffers.Return(exact);
                throw;
            }
        }
        var buffer = BodyBuffers.Rent(ChunkedStart);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length == limit)
                    {
                        // Full at the limit: one more byte and the body is too large.
                        var probe = new byte[1];
                        if (await request.Body.ReadAsync(probe, cancellationToken) == 0)
                        {
                            return (buffer, length);
                        }
                        BodyBuffers.Return(buffer);
                        return (null, 0);
                    }
                    var bigger = BodyBuffers.Rent(Math.Min(buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    BodyBuffers.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken);
                if (read == 0)
                {
                    return (buffer, length);
                }
                length += read;
            }
        }
        catch
        {
            BodyBuffers.Return(buffer);
            throw;
        }
    }

    /// <summary>The document to store, read from <paramref name="node"/>, prepared and valid; or the 400 that says what to fix.</summary>
    public static async Task<(object? Document, ValidationProblem? Invalid, ProblemHttpResult? Problem)> CheckAsync(EditorialServices services, Guid institutionId, Guid? resourceId, JsonNode node)
    {
        var module = services.Module;
        object document;
        try
        {
            document = module.Prepare(module.Read(node));
        }
        catch (JsonException exception)
        {
            return (null, null, Problems.BadRequest($"The document is not a valid {module.Kind.Name}: {JsonErrors.Describe(exception, module.DocumentType)}"));
        }
        var errors = await ValidateAsync(services.Db, module, institutionId, resourceId, document, services.CancellationToken);
        return errors.Count == 0 ? (document, null, null) : (null, Validation.Invalid(errors, Languages.Text("The document has invalid fields; see errors (keyed by JSON path).", "O documento tem campos inválidos; veja 'errors' (pelo caminho JSON de cada um).")), null);
    }

    /// <summary>
    /// What is wrong with a prepared document, as JSON path → messages (empty: valid): its shape, its references inside the
    /// institution, and its slug, which no other resource of its type may hold. Every write checks its documents here.
    /// </summary>
    public static async Task<Dictionary<string, string[]>> ValidateAsync(PacoDb db, IResourceModule module, Guid institutionId, Guid? resourceId, object document,
        CancellationToken cancellationToken)
    {
        var errors = await module.ValidateAsync(db, institutionId, resourceId, document, cancellationToken);
        var slug = module.SlugOf(document);
        if (errors.Count == 0 && await SlugTakenAsync(db, module.Kind.Type, institutionId, resourceId, slug, cancellationToken))
        {
            errors["slug"] = [Languages.Text($"Another {module.Kind.Name} of this institution already has the slug '{slug}'.", $"Outro recurso desta instituição ({module.Kind.Name}) já tem o slug '{slug}'.")];
        }
        return errors;
    }

    /// <summary>Every slug another resource of the type holds or will hold: its address now (the published one, when published) and its draft's.</summary>
    private static async Task<bool> SlugTakenAsync(PacoDb db, string type, Guid institutionId, Guid? resourceId, string slug, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<bool>($"""
            select exists (
              select 1 from resources r join revisions v on v.resource_id = r.id and v.number = r.latest_revision
              where r.institution_id = {institutionId} and r.type = {type} and r.id is distinct from {resourceId}
                and (r.slug = {slug} or v.document ->> 'slug' = {slug})) as "Value"
            """).ToListAsync(cancellationToken)).Single();

    private static bool HasDuplicateNames(JsonNode? node)
    {
        try
        {
            // JsonObject reports a repeated name when it is first enumerated.
            return node switch
            {
                JsonObject o => o.Any(p => HasDuplicateNames(p.Value)),
                JsonArray a => a.Any(HasDuplicateNames),
                _ => false,
            };
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}

/// <summary>RFC 7396 JSON Merge Patch.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }
        return result;
    }
}
