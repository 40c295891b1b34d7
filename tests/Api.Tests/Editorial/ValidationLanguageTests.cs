using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Paco.Api.Common;

namespace Paco.Api.Tests.Editorial;

/// <summary>Validation problems speak the language Accept-Language asks for: English by default, Brazilian Portuguese on request.</summary>
public sealed class ValidationLanguageTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/idioma/organs";
    private string _editor = "";

    [OneTimeSetUp]
    public async Task CreateInstitutionAndKeyAsync()
    {
        await Content.InstitutionAsync("idioma");
        _editor = await Content.KeyAsync("editor", "idioma", "Editora Ana");
    }

    /// <summary>An organ with an empty name, an unknown kind, a repeated label and a parent from nowhere.</summary>
    private async Task<(HttpResponseMessage Response, JsonNode Problem)> PostInvalidOrganAsync(string? acceptLanguage)
    {
        var body = EditorialTests.OrganBody("idioma-invalido", "", ("I", "planejar;"), ("I", "executar;"));
        body["kind"] = "ministerio";
        body["parentId"] = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, Organs) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _editor);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }
        var response = await Client.SendAsync(request);
        return (response, await AssertProblemAsync(response, 400));
    }

    private static string Messages(JsonNode problem, string path) => string.Join(" ", problem["errors"]![path]!.AsArray().Select(m => m!.GetValue<string>()));

    [Test]
    public async Task Validation_messages_are_english_without_accept_language()
    {
        var (response, problem) = await PostInvalidOrganAsync(null);
        using (response)
        {
            Assert.That(response.Content.Headers.ContentLanguage, Is.EqualTo(new[] { "en" }));
            Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("Validation failed"));
            Assert.That(Messages(problem, "name"), Does.Contain("must not be empty"));
            Assert.That(Messages(problem, "kind"), Does.Contain("must be one of: gabinete"));
            Assert.That(Messages(problem, "competences[1]"), Does.Contain("appears more than once in group 'competences'"));
        }
    }

    [Test]
    public async Task Validation_messages_are_brazilian_portuguese_when_asked_for()
    {
        var (response, problem) = await PostInvalidOrganAsync("pt-BR,pt;q=0.9,en;q=0.5");
        using (response)
        {
            Assert.That(response.Content.Headers.ContentLanguage, Is.EqualTo(new[] { "pt-BR" }));
            Assert.That(response.Headers.Vary, Does.Contain("Accept-Language"), "a cache must keep each language apart");
            Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("Falha na validação"));
            Assert.That(problem["type"]!.GetValue<string>(), Does.EndWith("/validation"), "the type is the same whatever the language");
            Assert.That(Messages(problem, "name"), Does.Contain("deve ser informado"), "FluentValidation's own pt-BR text");
            Assert.That(Messages(problem, "kind"), Does.Contain("deve ser um destes: gabinete"));
            Assert.That(Messages(problem, "competences[1]"), Does.Contain("aparece mais de uma vez no grupo 'competences'"));
        }
    }

    [Test]
    public async Task Reference_checks_after_the_validator_speak_portuguese_too()
    {
        var body = EditorialTests.OrganBody("idioma-referencia", "Secretaria Referida", ("I", "planejar;"));
        body["parentId"] = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, Organs) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _editor);
        request.Headers.AcceptLanguage.ParseAdd("pt");

        using var response = await Client.SendAsync(request);

        var problem = await AssertProblemAsync(response, 400);
        Assert.That(response.Content.Headers.ContentLanguage, Is.EqualTo(new[] { "pt-BR" }));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.StartWith("O documento tem campos inválidos"));
        Assert.That(Messages(problem, "parentId"), Does.Contain("deve ser um órgão da mesma instituição"));
    }

    [TestCase("/api/v1/search?q=", "q", "'q' é obrigatório")]
    [TestCase("/api/v1/institutions?uf=XX", "uf", "'uf' deve ser a sigla de um estado brasileiro, como MG ou SP.")]
    public async Task Query_parameter_validation_speaks_portuguese_too(string url, string parameter, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd("pt-BR");

        using var response = await Client.SendAsync(request);

        var problem = await AssertProblemAsync(response, 400);
        Assert.That(Messages(problem, parameter), Does.StartWith(message));
    }

    [TestCase(null, "en")]
    [TestCase("", "en")]
    [TestCase("pt-BR", "pt-BR")]
    [TestCase("pt", "pt-BR")]
    [TestCase("pt-PT", "pt-BR")]
    [TestCase("fr-FR, pt;q=0.8, en;q=0.5", "pt-BR")]
    [TestCase("pt-BR;q=0.2, en-US;q=0.9", "en")]
    [TestCase("pt-BR;q=0, fr", "en")]
    [TestCase("de", "en")]
    [TestCase("*", "en")]
    [TestCase("not a language;;q=x", "en")]
    public void Accept_language_chooses_the_first_supported_language_by_quality(string? header, string expected) =>
        Assert.That(Languages.Choose(header), Is.EqualTo(expected));
}
