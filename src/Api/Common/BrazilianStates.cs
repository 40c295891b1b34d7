namespace Paco.Api.Common;

/// <summary>The 27 federative units, by their two-letter code, with the names LexML uses for them.</summary>
public static class BrazilianStates
{
    public static readonly IReadOnlyDictionary<string, string> LexmlNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["AC"] = "acre", ["AL"] = "alagoas", ["AP"] = "amapa", ["AM"] = "amazonas", ["BA"] = "bahia",
        ["CE"] = "ceara", ["DF"] = "distrito.federal", ["ES"] = "espirito.santo", ["GO"] = "goias",
        ["MA"] = "maranhao", ["MT"] = "mato.grosso", ["MS"] = "mato.grosso.do.sul", ["MG"] = "minas.gerais",
        ["PA"] = "para", ["PB"] = "paraiba", ["PR"] = "parana", ["PE"] = "pernambuco", ["PI"] = "piaui",
        ["RJ"] = "rio.de.janeiro", ["RN"] = "rio.grande.do.norte", ["RS"] = "rio.grande.do.sul",
        ["RO"] = "rondonia", ["RR"] = "roraima", ["SC"] = "santa.catarina", ["SP"] = "sao.paulo",
        ["SE"] = "sergipe", ["TO"] = "tocantins",
    };

    public static bool IsCode(string? uf) => uf is not null && LexmlNames.ContainsKey(uf);

    public static readonly IReadOnlyList<string> Codes = [.. LexmlNames.Keys.Order(StringComparer.Ordinal)];
}
