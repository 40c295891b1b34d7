using Paco.Api.Common;

namespace Paco.Api.Tests.OpeningHours;

/// <summary>
/// Free-text hours as municipal pages write them, read into schema.org entries; and the phrasings that must be refused,
/// because any reading of them would be a guess. Each entry below is "days opens-closes", days as schema.org names them.
/// </summary>
public sealed class OpeningHoursTextTests
{
    private const string Weekdays = "Monday,Tuesday,Wednesday,Thursday,Friday";
    private const string EveryDay = Weekdays + ",Saturday,Sunday";

    private static readonly object[] Understood =
    [
        new object[] { "Segunda a sexta, das 8h às 17h", new[] { $"{Weekdays} 08:00-17:00" } },
        new object[] { "seg-sex 08:00-12:00 e 13:00-17:00", new[] { $"{Weekdays} 08:00-12:00", $"{Weekdays} 13:00-17:00" } },
        new object[] { "De segunda a sexta-feira, das 7h30 às 13h30", new[] { $"{Weekdays} 07:30-13:30" } },
        new object[] { "24 horas", new[] { $"{EveryDay} 00:00-24:00" } },
        new object[] { "sábados das 8h às 12h", new[] { "Saturday 08:00-12:00" } },
        new object[] { "Segunda a sexta, das 8h às 12h e das 13h às 17h; sábados das 8h às 12h",
            new[] { $"{Weekdays} 08:00-12:00", $"{Weekdays} 13:00-17:00", "Saturday 08:00-12:00" } },
        new object[] { "Segunda-feira a sexta-feira: 08h00 às 14h00", new[] { $"{Weekdays} 08:00-14:00" } },
        new object[] { "Seg. a Sex. 8h-14h", new[] { $"{Weekdays} 08:00-14:00" } },
        new object[] { "De segunda à sexta, de 7h às 13h", new[] { $"{Weekdays} 07:00-13:00" } },
        new object[] { "Das 8h às 17h, de segunda a sexta-feira", new[] { $"{Weekdays} 08:00-17:00" } },
        new object[] { "Segunda, quarta e sexta, das 14h às 18h", new[] { "Monday,Wednesday,Friday 14:00-18:00" } },
        new object[] { "Todos os dias, 24 horas", new[] { $"{EveryDay} 00:00-24:00" } },
        new object[] { "Diariamente, das 6h às 22h", new[] { $"{EveryDay} 06:00-22:00" } },
        new object[] { "Dias úteis, das 12h às 18h", new[] { $"{Weekdays} 12:00-18:00" } },
        new object[] { "Terça a domingo, das 9h às 17h; feriados das 9h às 13h",
            new[] { "Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday 09:00-17:00", "PublicHolidays 09:00-13:00" } },
        new object[] { "Segunda a sexta das 8h às 17h, exceto feriados", new[] { $"{Weekdays} 08:00-17:00" } },
        new object[] { "Horário de atendimento: segunda a sexta, das 8h às 11h30 e das 13h30 às 17h",
            new[] { $"{Weekdays} 08:00-11:30", $"{Weekdays} 13:30-17:00" } },
        new object[] { "Seg a sex: 7h às 19h | Sáb: 7h às 12h", new[] { $"{Weekdays} 07:00-19:00", "Saturday 07:00-12:00" } },
        new object[] { "segunda a sexta, das 8 às 17h", new[] { $"{Weekdays} 08:00-17:00" } },
        new object[] { "Atendimento ao público de segunda a sexta-feira, das 12h às 18h.", new[] { $"{Weekdays} 12:00-18:00" } },
        new object[] { "Segunda a sexta, das 18h às 24h", new[] { $"{Weekdays} 18:00-24:00" } },
        new object[] { "2ª a 6ª feira, das 7h às 13h", new[] { $"{Weekdays} 07:00-13:00" } },
        new object[] { "Sábados e domingos, das 8h ao meio-dia", new[] { "Saturday,Sunday 08:00-12:00" } },
        new object[] { "Fins de semana: 9h às 13h", new[] { "Saturday,Sunday 09:00-13:00" } },
        new object[] { "Segunda a sexta – 8h30min às 16h30min", new[] { $"{Weekdays} 08:30-16:30" } },
        new object[] { "Segunda a sexta, das 8h às 12h e sábado das 8h às 11h", new[] { $"{Weekdays} 08:00-12:00", "Saturday 08:00-11:00" } },
    ];

    private static readonly string?[] Refused =
    [
        "Horário comercial",                                           // no days, no times
        "Segunda a sexta",                                             // days without times
        "Das 8h às 17h",                                               // times without days: the days would be a guess
        "Segunda a sexta, das 17h às 8h",                              // closes before it opens
        "Segunda a sexta, das 8h às 17h, com intervalo para almoço",   // when is lunch?
        "Consultar a unidade pelo telefone (31) 3000-0000",
        "seg-sex 25:00-26:00",                                         // no such time
        "Segunda a sexta, das 8h às 12h e das 11h às 17h",             // overlapping intervals
        "Sábado a segunda, das 8h às 12h",                             // not a run of the week
        "Plantão 24 horas nos fins de semana",                         // an unknown word may change the meaning
        "Segunda a sexta, das 8 às 12",                                // no unit anywhere: hours? rooms?
        "Segunda a sexta, das 8h às 17h, exceto em julho",             // an exception it cannot express
        "Segunda a sexta, 8 horas",                                    // a duration, not an interval
        "Segunda a sexta, das 8h às 17h (exceto quartas)",
        "",
        "   ",
        null,
    ];

    private static IEnumerable<string> Entries(IReadOnlyList<OpeningHoursSpecification> parsed) =>
        parsed.Select(s => $"{string.Join(',', s.DayOfWeek)} {s.Opens}-{s.Closes}");

    [TestCaseSource(nameof(Understood))]
    public void A_phrasing_pages_use_is_read_into_one_entry_per_interval(string text, string[] expected)
    {
        var parsed = OpeningHoursText.Parse(text);

        Assert.That(parsed, Is.Not.Null, text);
        Assert.That(Entries(parsed!), Is.EqualTo(expected), text);
        Assert.That(parsed!.All(s => s.ValidFrom is null && s.Description is null), "regular hours, not exceptions");
    }

    [TestCaseSource(nameof(Refused))]
    public void A_phrasing_that_cannot_be_read_with_certainty_gives_nothing(string? text) =>
        Assert.That(OpeningHoursText.Parse(text), Is.Null, text);
}
