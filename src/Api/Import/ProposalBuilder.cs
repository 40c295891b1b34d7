using System.Text.RegularExpressions;
using Paco.Api.Common;
using Paco.Api.Organs;

namespace Paco.Api.Import;

/// <summary>What the institution already has, for matching: organs and legal bases (their drafts), and where it is.</summary>
public sealed record ExistingContent(
    string InstitutionSlug, string InstitutionName, string InstitutionKind, string? Uf, string? Municipality,
    IReadOnlyList<ExistingOrgan> Organs, IReadOnlyList<ExistingLegalBasis> LegalBases)
{
    public static ExistingContent Empty(string slug, string kind = "prefeitura") => new(slug, slug, kind, null, null, [], []);
}

public sealed record ExistingOrgan(Guid Id, string Slug, string Name, int Revision, string ContentHash, IReadOnlyList<Competence> Competences);

public sealed record ExistingLegalBasis(Guid Id, string Slug, string Kind, string? Number, int? Year, int Revision, string ContentHash);

/// <summary>
/// Turns the recognised lines of a text into a proposal: which organs it describes (by name, by the chapter or section
/// that groups them, by the numbering of a unit hierarchy, by the list of organs an article gives), each organ's
/// statements, values and competences by group, and each competence's label and citation.
/// </summary>
public sealed partial class ProposalBuilder
{
    private sealed class OrganDraft(string? name)
    {
        public string? Name { get; set; } = name;
        public string? Acronym { get; set; }
        public OrganDraft? Parent { get; set; }
        public string? Mission, Vision, Purpose, About;
        public readonly List<string> Values = [];
        public readonly List<CompetenceDraft> Competences = [];
        public readonly List<(string LegalBasis, string Role)> Links = [];
        public readonly List<Correction> Corrections = [];
        public int Start = -1, End = -1;
        public bool HasContent => Competences.Count > 0 || Values.Count > 0 || Mission is not null || Vision is not null || Purpose is not null || About is not null;
    }

    private sealed class CompetenceDraft
    {
        public string? Label;
        public string Text = "";
        public string Group = CompetenceGroups.Competences;
        public OrganDraft? PerformedBy;
        public ProposedCitation? Citation;
        public string? AmendedBy;
        public int Start, End;
        public bool Inline;
        public string Key = ""; // to tell a list repeated from a new one
        public bool Closed => Text.EndsWith(';') || Text.EndsWith('.') || Text.EndsWith(':');
    }

    private enum Mode { None, Competences, Organs, Statement, Values }

    private readonly NormalizedText _source;
    private readonly ExistingContent _existing;
    private readonly List<TextLine> _lines;
    private readonly List<OrganDraft> _organs = [];
    private readonly Dictionary<string, OrganDraft> _byKey = [];
    private readonly List<ImportWarning> _warnings = [];
    private readonly List<ProposedLegalBasis> _cited = [];
    private ProposedLegalBasis? _legalBasis;
    private string? _institutionAbout;

    private OrganDraft? _page, _chapter, _section;
    private string? _article, _paragraph;
    private Mode _mode;
    private OrganDraft? _listOrgan;
    private string _listGroup = CompetenceGroups.Competences;
    private ProposedCitation? _listCitation;
    private OrganDraft? _organListParent, _lastOrganItem;
    private readonly Dictionary<string, OrganDraft> _units = [];
    private Headings.Meaning _statement;
    private CompetenceDraft? _open, _lastItem;
    private OrganDraft? _statementOrgan;
    private bool _statementOpen;
    private bool _duplicateWarned;
    private int _recognised;

    private ProposalBuilder(NormalizedText source, ExistingContent existing)
    {
        _source = source;
        _existing = existing;
        _lines = StructureRecognizer.Recognize(source.Text);
    }

    public static ImportProposal Build(NormalizedText source, ImportSource info, ExistingContent existing)
    {
        var builder = new ProposalBuilder(source, existing);
        builder.Walk();
        return builder.Finish(info);
    }

    private bool IsAssociation => _existing.InstitutionKind is "associacao" or "consorcio";

    private void Walk()
    {
        FindHeadingNorm();
        for (var index = 0; index < _lines.Count; index++)
        {
            var line = _lines[index];
            switch (line.Kind)
            {
                case LineKind.Blank:
                    _open = null;
                    _statementOpen = false;
                    break;
                case LineKind.Chapter or LineKind.Section:
                    var title = line.Body;
                    if (title.Length == 0 && index + 1 < _lines.Count && _lines[index + 1].Kind is LineKind.Text)
                    {
                        title = _lines[++index].Body;
                    }
                    Group(line, title);
                    break;
                case LineKind.Article:
                    _article = line.Label;
                    _paragraph = null;
                    _mode = Mode.None;
                    _open = null;
                    Intro(line.Body, line, caput: true);
                    break;
                case LineKind.Paragraph:
                    _paragraph = line.Label;
                    _open = null;
                    if (_mode is Mode.Competences or Mode.Organs)
                    {
                        _mode = Mode.None;
                    }
                    Intro(line.Body, line, caput: true);
                    break;
                case LineKind.Item or LineKind.Alinea or LineKind.NumberedUnit or LineKind.Bullet:
                    Item(line);
                    break;
                case LineKind.Heading:
                    Heading(line);
                    break;
                default:
                    Text(line);
                    break;
            }
        }
    }

    /// <summary>The norm the text is, when one of its first lines is its heading; its ementa is the line after.</summary>
    private void FindHeadingNorm()
    {
        var nonBlank = _lines.Where(l => l.Kind != LineKind.Blank).Take(6).ToList();
        for (var i = 0; i < nonBlank.Count; i++)
        {
            if (nonBlank[i].Kind is LineKind.Text or LineKind.Heading && LegalReferences.Heading(nonBlank[i].Body) is { } norm && nonBlank[i].Body.Length < 120
                && !nonBlank[i].Body.Contains(" dispõe", StringComparison.OrdinalIgnoreCase))
            {
                var ementa = nonBlank.Skip(i + 1).FirstOrDefault(l => l.Kind == LineKind.Text && Ementa().IsMatch(l.Body))?.Body;
                var urn = LegalBases.LexmlUrn.ForNorm(_existing.Uf, _existing.Municipality, norm.Kind, norm.Number, norm.Year, norm.Date);
                _legalBasis = Legal(norm, ementa, urn, Span(nonBlank[i].Start, nonBlank[i].End));
                _recognised++;
                return;
            }
        }
    }

    private ProposedLegalBasis Legal(NormReference norm, string? summary, string? urn, SourceSpan span)
    {
        var existing = _existing.LegalBases.FirstOrDefault(l => l.Kind == norm.Kind && l.Number?.Replace(".", "") == norm.Number?.Replace(".", "") && l.Year == norm.Year)
            ?? _existing.LegalBases.FirstOrDefault(l => l.Slug == norm.Slug);
        return new ProposedLegalBasis(existing?.Slug ?? norm.Slug, norm.Kind, norm.Number?.Replace(".", "", StringComparison.Ordinal), norm.Year, norm.Date, norm.Title, summary,
            urn, LegalBases.LegalBasisStatuses.InForce, existing is null ? null : new ExistingResource(existing.Id, existing.Slug, existing.Revision, existing.ContentHash), span);
    }

    private void Group(TextLine line, string title)
    {
        _mode = Mode.None;
        _open = null;
        _article = null;
        var name = OrganNames.FromTitle(title);
        var mention = OrganNames.Find(name);
        var organ = mention is { Index: 0, Head: false, Generic: false } && !Plural().IsMatch(name) ? Organ(mention.Name, line) : null;
        if (line.Kind == LineKind.Chapter)
        {
            _chapter = organ;
            _section = null;
        }
        else
        {
            _section = organ;
            if (organ is not null && organ.Parent is null && _chapter is not null && _chapter != organ)
            {
                organ.Parent = _chapter;
            }
        }
        _recognised++;
    }

    /// <summary>A caput, a paragraph or a line of text that may introduce a list: of organs, or of an organ's (or its head's) competences.</summary>
    private void Intro(string text, TextLine line, bool caput)
    {
        var body = text.Trim();
        if (body.Length == 0)
        {
            return;
        }
        if (OrganList().IsMatch(body) && body.EndsWith(':'))
        {
            var subject = OrganNames.Find(body);
            _mode = Mode.Organs;
            _organListParent = subject is { Head: false, Generic: false } && subject.Index < body.IndexOf(' ', Math.Min(body.Length - 1, 20)) + 30
                ? Organ(subject.Name, line) : _section ?? _chapter;
            _lastOrganItem = null;
            _recognised++;
            return;
        }
        var creates = CreatesOrgan().Match(body);
        if (creates.Success && OrganNames.Find(body, creates.Index) is { Head: false, Generic: false } created)
        {
            var organ = Organ(created.Name, line);
            if ((_section ?? _chapter) is { } grouping && grouping != organ)
            {
                organ.Parent ??= grouping;
            }
            if (_legalBasis is not null)
            {
                Link(organ, _legalBasis.Slug, "creates");
            }
            _recognised++;
        }
        if (CompetenceIntro().IsMatch(body) || (body.EndsWith(':') && (OrganNames.Find(body) is { Index: <= 2 } || LegalReferences.Citation(body) is not null)))
        {
            StartCompetences(body, line);
            return;
        }
        if (!caput)
        {
            NotAList(body, line);
        }
    }

    private void StartCompetences(string body, TextLine line)
    {
        var mention = OrganNames.Find(body);
        var group = CompetenceGroups.Competences;
        if (Actions().IsMatch(body))
        {
            group = CompetenceGroups.Actions;
        }
        else if (Aims().IsMatch(body))
        {
            group = IsAssociation ? CompetenceGroups.Aims : CompetenceGroups.Competences;
        }
        OrganDraft organ;
        if (mention is { Generic: false } && !IsInstitution(mention.Name))
        {
            organ = Organ(mention.Name, line);
            if (organ.Parent is null && organ != (_section ?? _chapter) && (_section ?? _chapter) is { } grouping && !mention.Head)
            {
                organ.Parent = grouping;
            }
        }
        else
        {
            organ = Current(line);
        }
        if (mention is { Head: true })
        {
            group = CompetenceGroups.HeadAttributions;
        }
        else if (mention is null && _mode == Mode.Competences && _listOrgan == organ && !CompetenceIntro().IsMatch(body))
        {
            group = _listGroup; // "Conforme o art. 14 da Lei …:" under a heading only adds the citation
        }
        _page ??= organ;
        _mode = Mode.Competences;
        _listOrgan = organ;
        _listGroup = group;
        _duplicateWarned = false;
        _lastItem = null;
        _listCitation = null;
        if (_legalBasis is not null && _article is not null)
        {
            _listCitation = new ProposedCitation(_legalBasis.Slug, _article, _paragraph, null, null);
            Link(organ, _legalBasis.Slug, "structures");
        }
        else if (LegalReferences.Citation(body) is { } cited)
        {
            var legal = _cited.FirstOrDefault(l => l.Slug == cited.Norm.Slug) ?? Legal(cited.Norm, null,
                LegalBases.LexmlUrn.ForNorm(_existing.Uf, _existing.Municipality, cited.Norm.Kind, cited.Norm.Number, cited.Norm.Year, cited.Norm.Date),
                Span(line.Start + cited.Norm.Index, line.Start + cited.Norm.Index + cited.Norm.Length));
            if (!_cited.Contains(legal))
            {
                _cited.Add(legal);
            }
            _listCitation = new ProposedCitation(legal.Slug, cited.Article, cited.Paragraph, cited.Item, null);
            Link(organ, legal.Slug, "structures");
        }
        _recognised++;
    }

    private void Heading(TextLine line)
    {
        _open = null;
        _statementOpen = false;
        var meaning = Headings.Of(line.Body)!.Value;
        switch (meaning)
        {
            case Headings.Meaning.Values:
                _mode = Mode.Values;
                _statementOrgan = Current(line);
                break;
            case Headings.Meaning.Mission or Headings.Meaning.Vision or Headings.Meaning.Purpose or Headings.Meaning.About:
                _mode = Mode.Statement;
                _statement = meaning;
                _statementOrgan = null;
                break;
            default:
                _mode = Mode.Competences;
                _listOrgan = Current(line);
                _listGroup = meaning switch
                {
                    Headings.Meaning.HeadAttributions => CompetenceGroups.HeadAttributions,
                    Headings.Meaning.Aims => IsAssociation ? CompetenceGroups.Aims : CompetenceGroups.Competences,
                    Headings.Meaning.Actions => CompetenceGroups.Actions,
                    _ => CompetenceGroups.Competences,
                };
                _listCitation = null;
                _lastItem = null;
                _duplicateWarned = false;
                break;
        }
        _recognised++;
    }

    private void Text(TextLine line)
    {
        var body = line.Body;
        if (_open is not null && !_open.Closed && !line.Inline)
        {
            _open.Text += " " + body; // an item broken over lines
            _open.Key = Comparable(_open.Text);
            _open.End = line.End;
            return;
        }
        if (_mode == Mode.Statement && _statementOpen && _statementOrgan is not null)
        {
            AppendStatement(_statementOrgan, body, line, continuing: true);
            return;
        }
        if (SelfDescription().Match(body) is { Success: true } self)
        {
            Describe(self, body, line);
            return;
        }
        if (OrganNames.IsName(body) && !IsInstitution(body))
        {
            var organ = Organ(OrganNames.FromTitle(body.TrimEnd('.', ';', ':')), line);
            if (_page is { Name: null, HasContent: false } placeholder)
            {
                _organs.Remove(organ);
                _byKey[OrganNames.Key(organ.Name!)] = placeholder;
                placeholder.Name = organ.Name;
                organ = placeholder;
            }
            _page = organ;
            if (_mode is Mode.Statement)
            {
                _mode = Mode.Competences; // a "Missão" heading over an organ's name and its list: the heading was page decoration
                _listOrgan = organ;
                _listGroup = CompetenceGroups.Competences;
            }
            _recognised++;
            return;
        }
        if (body.EndsWith(':') && (CompetenceIntro().IsMatch(body) || OrganNames.Find(body) is { Index: <= 2 } || OrganList().IsMatch(body) || LegalReferences.Citation(body) is not null))
        {
            Intro(body, line, caput: false);
            return;
        }
        switch (_mode)
        {
            case Mode.Statement:
                _statementOrgan = Current(line);
                AppendStatement(_statementOrgan, body, line, continuing: false);
                return;
            case Mode.Values:
                AddValue(body, line);
                return;
            case Mode.Competences when line.Inline || _lastItem is null || (_lastItem.Label is null && !_lastItem.Inline && !_lastItem.Text.EndsWith('.')):
                // One item per line without labels (the "Atribuições" blocks of organ pages); a list on one line, or one
                // whose last item ended the sentence, is over.
                AddCompetence(null, body, line, alinea: null);
                return;
        }
        NotAList(body, line);
    }

    private void NotAList(string body, TextLine line)
    {
        _mode = _mode is Mode.Competences or Mode.Organs ? Mode.None : _mode;
        if (_legalBasis is null && _article is null && _mode != Mode.Statement)
        {
            _warnings.Add(new ImportWarning(ImportWarnings.UnrecognisedText, $"Not recognised, left out: \"{Short(body)}\".", Span(line.Start, line.End)));
        }
    }

    /// <summary>"O COGEMAS/MG – Colegiado de Gestores … – é uma entidade …": the organ the page is about, its acronym, and the statute it is governed by.</summary>
    private void Describe(Match self, string body, TextLine line, OrganDraft? placeholder = null)
    {
        var acronym = self.Groups["acronym"].Value;
        var name = $"{acronym} – {self.Groups["name"].Value.Trim()}";
        OrganDraft organ;
        if (placeholder is { Name: null })
        {
            organ = placeholder;
            organ.Name = name;
            _byKey[OrganNames.Key(name)] = organ;
        }
        else
        {
            organ = Organ(name, line);
        }
        organ.Acronym = acronym;
        _page = organ;
        LinkStatute(organ, body, line);
        if (_mode == Mode.Statement && placeholder is null)
        {
            _statementOrgan = organ;
            AppendStatement(organ, body, line, continuing: false);
        }
        _recognised++;
    }

    /// <summary>"… regendo-se pelo presente Estatuto": the text is the statute that creates the organ (an association's).</summary>
    private void LinkStatute(OrganDraft organ, string text, TextLine line)
    {
        if (organ.Acronym is not { } acronym || !Statute().IsMatch(text) || (_legalBasis is not null && _legalBasis.Kind != "estatuto"))
        {
            return;
        }
        if (_legalBasis is null)
        {
            var slug = "estatuto-" + OrganNames.SlugOf(organ.Name!, acronym);
            var existing = _existing.LegalBases.FirstOrDefault(l => l.Slug == slug || (l.Kind == "estatuto" && l.Number is null));
            _legalBasis = new ProposedLegalBasis(existing?.Slug ?? slug, "estatuto", null, null, null, $"Estatuto do {acronym}", null, null, LegalBases.LegalBasisStatuses.InForce,
                existing is null ? null : new ExistingResource(existing.Id, existing.Slug, existing.Revision, existing.ContentHash), Span(line.Start, line.End));
        }
        Link(organ, _legalBasis.Slug, "creates");
    }

    private void AppendStatement(OrganDraft organ, string body, TextLine line, bool continuing)
    {
        var field = _statement;
        string? current = field switch
        {
            Headings.Meaning.Mission => organ.Mission,
            Headings.Meaning.Vision => organ.Vision,
            Headings.Meaning.Purpose => organ.Purpose,
            _ => organ.About,
        };
        var text = continuing && current is not null ? current + " " + body : current is not null ? current + " " + body : body;
        switch (field)
        {
            case Headings.Meaning.Mission: organ.Mission = text; break;
            case Headings.Meaning.Vision: organ.Vision = text; break;
            case Headings.Meaning.Purpose: organ.Purpose = text; break;
            default: organ.About = text; break;
        }
        Touch(organ, line);
        _statementOpen = true;
        _recognised++;
        if (organ.Name is null && SelfDescription().Match(text) is { Success: true } self)
        {
            Describe(self, text, line, organ); // "Quem somos: O ACR – Nome – é …", wrapped over lines
        }
        else
        {
            LinkStatute(organ, text, line);
        }
    }

    private void AddValue(string body, TextLine line)
    {
        var value = body.Trim().TrimEnd('.', ';', ',').Trim();
        if (value.Length == 0)
        {
            return;
        }
        var organ = _statementOrgan ?? Current(line);
        if (organ.Values.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            if (!_duplicateWarned)
            {
                _warnings.Add(new ImportWarning(ImportWarnings.DuplicatedBlock,
                    $"{(organ.Name is null ? "The values" : $"The values of {organ.Name}")} are listed more than once; each is kept once.", Span(line.Start, line.End)));
                _duplicateWarned = true;
            }
            return;
        }
        organ.Values.Add(value);
        Touch(organ, line);
        _recognised++;
    }

    private void Item(TextLine line)
    {
        _statementOpen = false;
        var annotation = LegalReferences.Annotate(line.Body);
        if (annotation.Revoked)
        {
            _warnings.Add(new ImportWarning(ImportWarnings.RevokedItem,
                $"Item {line.Label ?? "(unlabeled)"}{(_article is null ? "" : $" of art. {_article}")} is revoked{(annotation.AmendedBy is null ? "" : $" ({annotation.AmendedBy})")}: left out.", Span(line.Start, line.End)));
            _open = null;
            return;
        }
        var body = annotation.Text;
        var isOrganName = OrganNames.StartsWithKind(body)
            && (OrganNames.IsName(body) || (OrganNames.Find(body) is { Index: 0, Head: false, Generic: false } && body.Length < 160 && !body.Contains(',')));
        if (_mode == Mode.Organs || (line.Kind == LineKind.NumberedUnit && isOrganName && _mode != Mode.Competences))
        {
            OrganItem(line, body, isOrganName);
            return;
        }
        if (_mode == Mode.Values)
        {
            AddValue(body, line);
            return;
        }
        if (_mode == Mode.Statement && _statementOrgan is not null && line.Kind == LineKind.Bullet)
        {
            AppendStatement(_statementOrgan, body, line, continuing: true);
            return;
        }
        if (_mode != Mode.Competences)
        {
            _mode = Mode.Competences;
            _listOrgan = Current(line);
            _listGroup = CompetenceGroups.Competences;
            _listCitation = null;
            _lastItem = null;
        }
        var label = line.Kind switch
        {
            LineKind.Item or LineKind.NumberedUnit => line.Label,
            LineKind.Alinea => _lastItem?.Label is { } parent && Roman.Parse(parent) is not null ? $"{parent}-{line.Label}" : line.Label,
            _ => null,
        };
        var competence = AddCompetence(label, body, line, line.Kind == LineKind.Alinea ? line.Label : null);
        if (competence is not null && annotation.AmendedBy is not null)
        {
            competence.AmendedBy = annotation.AmendedBy;
        }
    }

    private void OrganItem(TextLine line, string body, bool isOrganName)
    {
        _open = null;
        if (!isOrganName)
        {
            if (line.Kind == LineKind.Item)
            {
                _lastOrganItem = null; // a category ("órgãos de assessoramento:"): its alíneas are the organs
            }
            return;
        }
        var (name, acronym) = SplitAcronym(body.Trim().TrimEnd(';', '.', ':', ',').Trim());
        var organ = Organ(name, line);
        organ.Acronym ??= acronym;
        OrganDraft? parent = line.Kind switch
        {
            LineKind.Alinea => _lastOrganItem ?? _organListParent,
            LineKind.NumberedUnit when line.Label!.Contains('.') => _units.GetValueOrDefault(line.Label[..line.Label.LastIndexOf('.')]) ?? _organListParent,
            _ => _organListParent,
        };
        if (parent != organ && organ.Parent is null)
        {
            organ.Parent = parent;
        }
        if (line.Kind is LineKind.Item or LineKind.Bullet)
        {
            _lastOrganItem = organ;
        }
        if (line.Kind == LineKind.NumberedUnit)
        {
            _units[line.Label!] = organ;
            _mode = Mode.Organs;
        }
        if (_legalBasis is not null)
        {
            Link(organ, _legalBasis.Slug, "structures");
        }
        _recognised++;
    }

    private CompetenceDraft? AddCompetence(string? label, string text, TextLine line, string? alinea)
    {
        var organ = _listOrgan ?? Current(line);
        var body = text.Trim();
        if (body.Length == 0)
        {
            return null;
        }
        var key = Comparable(body);
        if (organ.Competences.Any(c => c.Group == _listGroup && c.Key == key))
        {
            if (!_duplicateWarned)
            {
                _warnings.Add(new ImportWarning(ImportWarnings.DuplicatedBlock,
                    $"A list of {(organ.Name is null ? "the organ's" : organ.Name + "'s")} {_listGroup} appears again; its items are kept once.", Span(line.Start, line.End)));
                _duplicateWarned = true;
            }
            _open = null;
            return null;
        }
        if (label is not null && organ.Competences.Any(c => c.Group == _listGroup && c.Label == label))
        {
            // The same numeral again in another paragraph or article of the same organ's list: qualified by where it is.
            var qualified = _paragraph is not null ? $"§ {(_paragraph == "único" ? "único" : _paragraph + "º")}, {label}" : _article is null ? null : $"art. {_article}, {label}";
            label = qualified is { Length: <= Limits.LabelLength } ? qualified : null;
        }
        var competence = new CompetenceDraft
        {
            Key = key,
            Label = label,
            Text = body,
            Group = _listGroup,
            Start = line.Start,
            End = line.End,
            Inline = line.Inline,
            Citation = _listCitation is null ? null
                : alinea is null ? _listCitation with { Item = line.Kind is LineKind.Item ? line.Label : _listCitation.Item }
                : _listCitation with { Item = _lastItem?.Label ?? _listCitation.Item, Alinea = alinea },
        };
        organ.Competences.Add(competence);
        Touch(organ, line);
        _open = competence;
        if (alinea is null)
        {
            _lastItem = competence;
        }
        _recognised++;
        return competence;
    }

    private void Link(OrganDraft organ, string legalBasis, string role)
    {
        if (!organ.Links.Any(l => l.LegalBasis == legalBasis))
        {
            organ.Links.Add((legalBasis, role));
        }
    }

    private OrganDraft Current(TextLine line)
    {
        if ((_section ?? _chapter ?? _page) is { } organ)
        {
            return organ;
        }
        _page = new OrganDraft(null) { Start = line.Start, End = line.End };
        _organs.Add(_page);
        return _page;
    }

    private OrganDraft Organ(string name, TextLine line)
    {
        var key = OrganNames.Key(name);
        if (!_byKey.TryGetValue(key, out var organ))
        {
            organ = new OrganDraft(name);
            _byKey[key] = organ;
            _organs.Add(organ);
        }
        Touch(organ, line);
        return organ;
    }

    private static void Touch(OrganDraft organ, TextLine line)
    {
        organ.Start = organ.Start < 0 ? line.Start : Math.Min(organ.Start, line.Start);
        organ.End = Math.Max(organ.End, line.End);
    }

    private bool IsInstitution(string name)
    {
        var key = OrganNames.Key(name);
        return key.Length > 0 && (key == OrganNames.Key(_existing.InstitutionName) || key is "prefeitura" or "municipio" or "poder executivo" or "prefeitura do municipio");
    }

    private SourceSpan Span(int start, int end) => _source.SpanOf(start, end);

    private static (string Name, string? Acronym) SplitAcronym(string text)
    {
        var m = AcronymSuffix().Match(text);
        return m.Success ? (text[..m.Index].Trim(), m.Groups["acronym"].Value) : (text, null);
    }

    private static string Comparable(string text) => OrganNames.Key(text.TrimEnd(';', '.', ',', ':'));

    private static string Short(string text) => text.Length <= 80 ? text : text[..77] + "…";

    // ---- The proposal ----

    private ImportProposal Finish(ImportSource info)
    {
        var corrector = new TypoCorrector(_source.Text);
        NameThePlaceholder();
        FindPerformers();
        var organs = _organs.Where(o => o.Name is not null && (o.HasContent || o.Parent is not null || _organs.Any(c => c.Parent == o) || o.Links.Count > 0 || o == _page
            || _organs.Any(x => x.Competences.Any(c => c.PerformedBy == o)))).ToList();
        // An organ that describes the institution itself: its "Quem somos" is the institution's.
        foreach (var organ in organs.Where(o => o.About is not null && OrganNames.Key(o.Name!).Contains(OrganNames.Key(_existing.InstitutionName), StringComparison.Ordinal)))
        {
            _institutionAbout = organ.About;
            organ.About = null;
        }
        var ordered = ParentsFirst(organs);
        var slugs = new Dictionary<OrganDraft, string>();
        var names = new Dictionary<OrganDraft, string>();
        var matches = new Dictionary<OrganDraft, ExistingOrgan?>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var matched = new HashSet<Guid>();
        foreach (var organ in ordered)
        {
            var name = names[organ] = corrector.Correct(organ.Name!, organ.Corrections);
            var existing = _existing.Organs.FirstOrDefault(e => !matched.Contains(e.Id) && OrganNames.Key(e.Name) == OrganNames.Key(name))
                ?? _existing.Organs.FirstOrDefault(e => !matched.Contains(e.Id) && e.Slug == OrganNames.SlugOf(name, organ.Acronym));
            matches[organ] = existing;
            var slug = existing?.Slug ?? Unique(OrganNames.SlugOf(name, organ.Acronym), taken, _existing.Organs);
            taken.Add(slug);
            slugs[organ] = slug;
            if (existing is not null)
            {
                matched.Add(existing.Id);
                _warnings.Add(new ImportWarning(ImportWarnings.ExistingOrgan,
                    $"\"{name}\" is the institution's organ '{existing.Slug}' (revision {existing.Revision}): applying makes a new draft revision of it.", Span(organ.Start, organ.End)));
            }
        }
        var proposed = new List<ProposedOrgan>();
        foreach (var organ in ordered)
        {
            var corrections = organ.Corrections;
            var existing = matches[organ];
            var competences = organ.Competences.Select(c =>
            {
                var text = corrector.Correct(c.Text, corrections);
                var id = existing?.Competences.FirstOrDefault(x => x.Group == c.Group && Comparable(x.Text) == Comparable(text))?.Id;
                return new ProposedCompetence(id, c.Label, text, c.Group, c.PerformedBy is null ? null : slugs.GetValueOrDefault(c.PerformedBy),
                    c.Citation is null ? [] : [c.Citation], c.AmendedBy, Span(c.Start, c.End));
            }).ToList();
            var statements = new Statements(Fix(organ.About), Fix(organ.Mission), Fix(organ.Vision), Fix(organ.Purpose));
            var siblings = ordered.Where(o => o.Parent == organ.Parent).ToList();
            proposed.Add(new ProposedOrgan(slugs[organ], names[organ], organ.Acronym, OrganKind(names[organ], organ.Acronym),
                organ.Parent is null ? null : slugs[organ.Parent], siblings.IndexOf(organ) + 1,
                statements, organ.Values.Select(v => corrector.Correct(v, corrections)).ToList(), competences,
                organ.Links.Select(l => new ProposedLegalBasisLink(l.LegalBasis, l.Role)).ToList(),
                existing is null ? null : new ExistingResource(existing.Id, existing.Slug, existing.Revision, existing.ContentHash),
                organ.Start < 0 ? null : Span(organ.Start, organ.End), corrections));
            string? Fix(string? statement) => statement is null ? null : corrector.Correct(statement, corrections);
        }
        foreach (var organ in proposed)
        {
            foreach (var correction in organ.Corrections)
            {
                _warnings.Add(new ImportWarning(ImportWarnings.SuspectedTypo, $"{organ.Name}: \"{correction.Original}\" corrected to \"{correction.Corrected}\" ({correction.Reason}).", null));
            }
            var unlabeled = organ.Competences.Where(c => c.Label is null).GroupBy(c => c.Group).Where(g => organ.Competences.Any(c => c.Group == g.Key && c.Label is not null));
            foreach (var group in unlabeled)
            {
                _warnings.Add(new ImportWarning(ImportWarnings.UnlabeledItems, $"{organ.Name}: {group.Count()} {group.Key} item(s) have no label among labelled ones; check where the list starts and ends.", group.First().Span));
            }
        }
        if (proposed.Count == 0 && _legalBasis is null)
        {
            _warnings.Insert(0, new ImportWarning(ImportWarnings.NoStructure,
                "No organ, competence or norm was recognised in this text: nothing is proposed. Structure laws have articles (\"Art. 1º\") and items (\"I –\"); organ pages have headings such as \"Missão\" or \"Atribuições\".", null));
        }
        if (_source.ScriptsRemoved)
        {
            _warnings.Add(new ImportWarning(ImportWarnings.ScriptsRemoved, "The page has scripts or styles: they were dropped, never run and never stored.", null));
        }
        return new ImportProposal(_existing.InstitutionSlug, info, _legalBasis, _cited, proposed, _institutionAbout, _warnings);
    }

    /// <summary>An organ page that never says its name (seed 002 speaks of "a Secretaria" and its Fundo and Conselho Municipal de Saúde): the name they imply.</summary>
    private void NameThePlaceholder()
    {
        foreach (var organ in _organs.Where(o => o.Name is null && o.HasContent))
        {
            var areas = Area().Matches(_source.Text).GroupBy(m => m.Groups["area"].Value).OrderByDescending(g => g.Count()).FirstOrDefault();
            var speaksOfSecretaria = SecretariaWord().IsMatch(_source.Text);
            organ.Name = areas is not null && speaksOfSecretaria ? $"Secretaria Municipal de {areas.Key}" : "Órgão sem nome";
            _warnings.Add(new ImportWarning(ImportWarnings.InferredName,
                areas is not null && speaksOfSecretaria
                    ? $"The text never names its organ; \"{organ.Name}\" is inferred from its Fundo or Conselho Municipal de {areas.Key}. Check it."
                    : "The text never names its organ; it is proposed as \"Órgão sem nome\". Give it its name before applying.",
                organ.Start < 0 ? null : Span(organ.Start, organ.End)));
            var key = OrganNames.Key(organ.Name);
            if (_byKey.TryGetValue(key, out var same) && same != organ)
            {
                // The inferred organ is also named elsewhere: one organ.
                same.Competences.AddRange(organ.Competences);
                same.Values.AddRange(organ.Values.Where(v => !same.Values.Contains(v)));
                same.Mission ??= organ.Mission;
                same.Vision ??= organ.Vision;
                same.Purpose ??= organ.Purpose;
                organ.Competences.Clear();
                organ.Name = null;
            }
            else
            {
                _byKey[key] = organ;
            }
        }
    }

    /// <summary>"… por meio do Núcleo de Vigilância Sanitária": the unit that carries a competence out, a child of the competence's organ.</summary>
    private void FindPerformers()
    {
        foreach (var organ in _organs.ToList())
        {
            foreach (var competence in organ.Competences.Where(c => c.Group == CompetenceGroups.Competences))
            {
                var m = competence.Text.Contains(" por ", StringComparison.OrdinalIgnoreCase) || competence.Text.StartsWith("por ", StringComparison.OrdinalIgnoreCase)
                    ? PerformedThrough().Match(competence.Text) : Match.Empty;
                if (!m.Success || OrganNames.Find(competence.Text, m.Index + m.Length - 1) is not { Head: false, Generic: false } mention || mention.Index > m.Index + m.Length + 1)
                {
                    continue;
                }
                var key = OrganNames.Key(mention.Name);
                if (!_byKey.TryGetValue(key, out var performer))
                {
                    performer = new OrganDraft(mention.Name) { Parent = organ, Start = competence.Start, End = competence.End };
                    _byKey[key] = performer;
                    _organs.Add(performer);
                }
                if (performer != organ)
                {
                    competence.PerformedBy = performer;
                }
            }
        }
    }

    private static List<OrganDraft> ParentsFirst(List<OrganDraft> organs)
    {
        foreach (var organ in organs.Where(o => o.Parent is not null && !organs.Contains(o.Parent)))
        {
            organ.Parent = null; // its parent was not kept (a grouping with no content of its own)
        }
        return Hierarchy.ParentsFirst(organs, o => o, o => o.Parent).ToList();
    }

    private static string OrganKind(string name, string? acronym)
    {
        var kind = OrganNames.KindOf(name);
        return kind == "outro" && acronym is not null && name.Length > acronym.Length + 3 ? OrganNames.KindOf(name[(acronym.Length + 3)..]) : kind;
    }

    /// <summary>A slug no other organ of the proposal, nor an organ of the institution it is not, has.</summary>
    private static string Unique(string slug, HashSet<string> taken, IReadOnlyList<ExistingOrgan> existing)
    {
        bool Free(string candidate) => !taken.Contains(candidate) && existing.All(e => e.Slug != candidate);
        if (Free(slug))
        {
            return slug;
        }
        for (var n = 2; ; n++)
        {
            var candidate = $"{slug}-{n}";
            if (Free(candidate))
            {
                return candidate;
            }
        }
    }

    [GeneratedRegex(@"^(?:Disp[õo]e|Institui|Estabelece|Cria|Altera|Reorganiza|Organiza|Define|Regulamenta|Aprova)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ementa();

    [GeneratedRegex(@"\b(?:comp[õo]e-se|comp[õo]em-se|[ée] composta|[ée] composto|s[ãa]o [óo]rg[ãa]os|integram|seguintes [óo]rg[ãa]os|seguintes unidades|seguinte estrutura|estrutura (?:b[áa]sica|organizacional|administrativa)[^:]*(?:[ée]|compreende|constitui)|compreende|constitu[ií]d[ao])\b", RegexOptions.IgnoreCase)]
    private static partial Regex OrganList();

    [GeneratedRegex(@"\b(?:fica(?:m)?\s+criad[oa]s?|cria(?:m)?-se)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CreatesOrgan();

    [GeneratedRegex(@"\b(?:compete|competem|cabe|incumbe|atribui[çc][õo]es|compet[êe]ncias|fun[çc][õo]es|finalidades?|se prop[õo]e a|objetivos)\b[^.]*:\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex CompetenceIntro();

    [GeneratedRegex(@"\bfinalidades?\b|\bobjetivos\b", RegexOptions.IgnoreCase)]
    private static partial Regex Aims();

    [GeneratedRegex(@"\bse prop[õo]e a\b", RegexOptions.IgnoreCase)]
    private static partial Regex Actions();

    [GeneratedRegex(@"^(?:O|A)\s+(?<acronym>[A-Z][A-Z0-9]{2,}(?:/[A-Z]{2})?)\s+[–—-]\s+(?<name>[^–—]+?)\s+[–—-]\s+(?:[ée]|foi|constitui)\b")]
    private static partial Regex SelfDescription();

    [GeneratedRegex(@"\b(?:presente|este|neste|pelo)\s+Estatuto\b", RegexOptions.IgnoreCase)]
    private static partial Regex Statute();

    [GeneratedRegex(@"\bpor (?:meio|interm[ée]dio) d[oa]s?\s+", RegexOptions.IgnoreCase)]
    private static partial Regex PerformedThrough();

    [GeneratedRegex(@"\b(?:Fundo|Conselho) Municipal de (?<area>\p{Lu}[\p{L}]+(?: (?:e|de|da|do) \p{Lu}[\p{L}]+)*)")]
    private static partial Regex Area();

    [GeneratedRegex(@"\b(?:a|da|na|pela) Secretaria\b")]
    private static partial Regex SecretariaWord();

    [GeneratedRegex(@"^(?:Secretarias|Departamentos|[ÓO]rg[ãa]os|Unidades|Conselhos|Divis[õo]es|Coordenadorias|Estrutura)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Plural();

    [GeneratedRegex(@"\s*(?:[-–—]\s*|\(\s*)(?<acronym>[A-Z][A-Z0-9]{1,}(?:/[A-Z]{2})?)\s*\)?$")]
    private static partial Regex AcronymSuffix();
}
