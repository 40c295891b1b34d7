using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Contract;

/// <summary>The checker itself: a real answer passes, and the same answer with a field nulled, dropped or added, or a header gone, does not.</summary>
public sealed class ContractCheckerTests : ApiFixture
{
    private const string Organ = "/api/v1/institutions/amostra/organs/secretaria-de-trabalho-e-assistencia-social";
    private OpenApiContract.Operation _operation = null!;
    private HttpResponseMessage _real = null!;
    private JsonObject _body = null!;

    [OneTimeSetUp]
    public async Task ReadAnOrganWithoutCheckingAsync()
    {
        using var unchecked_ = Factory.CreateDefaultClient();
        _real = await unchecked_.GetAsync(Organ);
        _body = JsonNode.Parse(await _real.Content.ReadAsStringAsync())!.AsObject();
        _operation = OpenApiContract.Committed.Find(HttpMethod.Get, Organ)!;
    }

    [OneTimeTearDown]
    public void DisposeAnswer() => _real.Dispose();

    private IReadOnlyList<string> Check(JsonNode body, Action<HttpResponseMessage>? headers = null)
    {
        using var response = new HttpResponseMessage(_real.StatusCode) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        foreach (var (name, values) in _real.Headers)
        {
            response.Headers.TryAddWithoutValidation(name, values);
        }
        response.Content.Headers.LastModified = _real.Content.Headers.LastModified;
        headers?.Invoke(response);
        return OpenApiContract.Committed.Check(_operation, HttpMethod.Get, response, Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    private JsonObject Changed(Action<JsonObject> change)
    {
        var copy = _body.DeepClone().AsObject();
        change(copy);
        return copy;
    }

    [Test]
    public void The_real_answer_keeps_the_documents_promise()
    {
        Assert.That(_real.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_operation.ToString(), Is.EqualTo("GET /api/v1/institutions/{institution}/organs/{organ}"));
        Assert.That(Check(_body), Is.Empty);
    }

    [Test]
    public void A_required_field_that_becomes_null_breaks_it() =>
        Assert.That(Check(Changed(b => b["name"] = null)), Has.Some.Contains("/name"));

    [Test]
    public void A_nested_field_that_becomes_null_breaks_it() =>
        Assert.That(Check(Changed(b => b["competences"]![0]!["text"] = null)), Has.Some.Contains("/competences/0/text"));

    [Test]
    public void A_missing_field_breaks_it() =>
        Assert.That(Check(Changed(b => b.Remove("parent"))), Has.Some.Contains("parent"));

    [Test]
    public void A_field_the_document_does_not_know_breaks_it() =>
        Assert.That(Check(Changed(b => b["surprise"] = 1)), Has.Some.Contains("surprise"));

    [Test]
    public void A_value_outside_a_closed_set_breaks_it() =>
        Assert.That(Check(Changed(b => b["kind"] = "ministerio")), Has.Some.Contains("/kind"));

    [Test]
    public void A_header_that_disappears_breaks_it() =>
        Assert.That(Check(_body, response => response.Headers.Remove("ETag")), Has.Some.Contains("ETag"));

    [Test]
    public void A_malformed_header_breaks_it() =>
        Assert.That(Check(_body, response => { response.Headers.Remove("ETag"); response.Headers.TryAddWithoutValidation("ETag", "unquoted"); }), Has.Some.Contains("ETag"));

    [Test]
    public void An_undocumented_status_breaks_it()
    {
        using var teapot = new HttpResponseMessage((HttpStatusCode)418);
        Assert.That(OpenApiContract.Committed.Check(_operation, HttpMethod.Get, teapot, []), Has.Some.Contains("418"));
    }
}
