using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.LinkedData;

/// <summary>
/// The public URLs of published resources, absolute under the base an answer is served at: the JSON-LD @ids and the
/// links of the HTML fragments (an organ's URL gives a browser, which asks for text/html, the organ's fragment).
/// </summary>
public static class ResourceUrls
{
    public static string Institution(string baseUrl, string institution) => baseUrl + PublicUrls.InstitutionPath(institution);

    public static string Organ(string baseUrl, string institution, string organ) => $"{baseUrl}{OrganModule.Organs.Collection(institution)}/{organ}";

    public static string Tree(string baseUrl, string institution) => $"{baseUrl}{OrganModule.Organs.Collection(institution)}/tree";

    public static string LegalBasis(string baseUrl, string institution, string legalBasis) => $"{baseUrl}{LegalBasisModule.LegalBases.Collection(institution)}/{legalBasis}";
}
