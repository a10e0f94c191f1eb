"""Surface patterns shared by recognition and fact extraction.

All patterns run over `Document.clean` (straight apostrophes, markup blanked), so a
match's offsets are offsets into the article text. Every pattern is generic: it keys
on the shape of film writing, never on a particular name.
"""
from __future__ import annotations

import re

TITLE_JOINERS = frozenset(
    "of the a an and in on at to for from with is my me by or vs vs. de la le du des el y & um".split()
)
_JOIN = r"(?:of|the|a|an|and|in|on|at|to|for|from|with|is|my|me|by|or|vs\.?|de|la|le|du|des|el|y|&)"
# Bounded repeats keep every pattern linear: a word of at most 40 more characters, a title of at
# most 12 more words, each starting a word (no retries inside a long word or a long capitalised run).
_CAP = r"(?:[A-Z](?:\.[A-Z]){1,20}\.?|[A-Z][\w'&!?-]{0,40})"
CAPWORD = rf"(?<!\w)(?:{_CAP}|\d{{1,4}}\b)"
_WORDS = rf"(?:(?: {_JOIN}){{0,4}} {_CAP}| \d{{1,4}}\b){{0,12}}"
TITLE = rf"{CAPWORD}{_WORDS}(?:: {CAPWORD}{_WORDS})?"
NAME = r"[A-Z][\w'.-]{0,40}[a-z.](?: (?:de |van |von |del |da |di |le |la |el )?[A-Z][\w'.-]{0,40}[a-z]){0,5}"
YEAR = r"(?:19|20)\d\d"
TITLE_RX = re.compile(TITLE)
ROLE_AFTER_FILM = re.compile(r"^'?s? (?:director|writer|screenwriter|producer|star|composer|actor|actress|filmmaker)\b")
CREDIT_PARENTHESIS = re.compile(r"(?:⟦P\d+⟧|[\w.]) \([^()]*$")
INFLUENCE_OBJECT = re.compile(r"\b(?:debt to|homage to|nod to|recalls?|echoes|evokes|riffs on|reminiscent of|compared to|"
                              r"template for(?: the likes of)?|(?:learned|borrowed|took|stole|lifted)(?: [a-z]+){0,3} from) (?:the )?$")
OTHER_WORK = re.compile(r"\b(?:(?:previous|earlier|prior|last|debut|first|breakout|next) (?:film|movie|feature|picture|work)s?,?|"
                        r"(?:made|making) (?:his|her|their|its) name (?:with|in|on)(?: the)?(?: (?:19|20)\d\d)?(?: [\w-]+){0,2}?|"
                        r"(?:best|widely|perhaps) known for(?: the)?(?: (?:19|20)\d\d)?(?: [\w-]+){0,2}?) $")
RELATION_OBJECT = re.compile(r"\b(?:sequel|follow-up|followup|prequel|spin-off|spinoff|remake|continuation|reboot) "
                             r"(?:to|of) (?:the )?(?:(?:19|20)\d\d's )?$")


def secondary_title(before: str, after: str) -> bool:
    """A title the sentence is not about: modifying a role noun ("Moonlight director X"), in
    someone's credits ("X (Ghosted)"), the object of "a sequel to", "whose previous film" or
    "owes a debt to". `before`/`after` are the sentence text around the title."""
    return bool(ROLE_AFTER_FILM.match(after) or CREDIT_PARENTHESIS.search(before) or RELATION_OBJECT.search(before)
                or OTHER_WORK.search(before) or INFLUENCE_OBJECT.search(before))
_ITEM_WORDS = rf"(?:(?: (?:of|the|a|an|in|on|at|to|for|from|with|is|my|me|by|de|la|le)){{0,4}} {_CAP}| \d{{1,4}}\b){{0,12}}"
LIST_ITEM = rf"(?<!\w){_CAP}{_ITEM_WORDS}"
LIST_NEXT = re.compile(rf"(?:,| and|, and|,? or|,? as well as) (?P<t>{LIST_ITEM})(?=[\s,.;:!?)]|$)")
LIST_PREV = re.compile(rf"(?<![\w'])(?P<t>{LIST_ITEM})(?:,|,? and|,? or) $")
TITLE_CONTINUES = re.compile(r" (?:of|is)(?: (?:the|a|an))? [A-Z]")
QUOTED_TITLE = re.compile(rf"(?:^|(?<=[\s(]))['\u2018\"\u201c](?P<title>{TITLE})[,.]?['\u2019\"\u201d](?![\w])")

FILM_NOUNS = (
    r"film|movie|picture|documentary|biopic|thriller|comedy|drama|sequel|prequel|remake|adaptation|"
    r"blockbuster|animation|feature|musical|western|horror|classic|hit|flick|follow-up|short|epic|"
    r"romcom|rom-com|tv movie|TV movie|debut|effort|outing|release|opener|offering|entry|"
    r"closer|project|picture|film noir|noir|satire|fantasy|sci-fi|tearjerker|indie|adventure|mystery|romance|"
    r"caper|heist|cartoon|mockumentary|melodrama|chiller|slasher|procedural|family film|war film|crime film"
)
POSSESSION = re.compile(
    rf"(?P<apos>'s?) (?:(?P<noun>(?:[a-z][\w-]* ){{0,3}}(?:{FILM_NOUNS})s?),? )?(?P<title>{LIST_ITEM}(?:: {LIST_ITEM})?)"
)

FILM_CUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?P<year>{YEAR})'s\s+(?P<title>{TITLE})"), "year-possessive"),  # \s+: blanked markup
    (re.compile(rf"(?P<title>{TITLE})\s+\((?P<year>{YEAR})\)"), "year-paren"),
    (re.compile(rf"\b(?:the|a|an|his|her|their|its) (?P<year>{YEAR}) (?:[\w-]+ ){{0,3}}?(?:{FILM_NOUNS}),? (?P<title>{TITLE})"), "year-noun"),
    (re.compile(rf"(?P<title>{TITLE}), (?:the|a|an) (?P<year>{YEAR}) (?:[\w-]+ ){{0,3}}?(?:{FILM_NOUNS})\b"), "year-noun"),
    (re.compile(rf"\b(?:the|a|an|his|her|their|its|my|our|new|latest|upcoming|[A-Z][\w-]*'s?) (?:[\w-]+ ){{0,3}}?(?:{FILM_NOUNS})s?,?\s+(?:called |titled |entitled |named )?(?P<title>{TITLE})"), "film-noun"),
    (re.compile(rf"\b(?:films|movies|titles|others|releases|pictures),? (?:like|such as|including) (?P<title>{LIST_ITEM})"), "film-noun"),
    (re.compile(rf"(?m)^\s*(?P<title>{TITLE})\s*\((?:[^()\n]{{0,30}},\s*)?(?:U|PG|PG-13|12A?|15|18|R|NC-17|G|TV-MA|TV-14)\)"), "rating"),
    (re.compile(rf"(?:^|(?<=[,.;:] ))(?P<title>{TITLE}) (?:is|was|remains) (?:a|an|the) (?:[\w-]+ ){{0,5}}?(?:{FILM_NOUNS})s?\b"), "film-noun"),
    (re.compile(rf"(?:^|(?<=[,.;:] ))(?P<title>{TITLE}) (?:is|was|will be) (?:loosely |partly |partially |closely )?(?:based on|adapted from) (?:the|a|an) (?:[\w-]+ ){{0,3}}?(?:novel|book|play|memoir|comic|story|series)"), "film-noun"),
    (re.compile(rf"\b(?:in talks to|set to|to|will) (?:star|appear) in\s+(?P<title>{TITLE}),? (?:the|a) (?:new|next|latest|upcoming) (?:film|movie|thriller|drama|comedy|project)"), "verb"),
    (re.compile(rf"\b(?:novel|book|play|memoir|comic|story|stage show)s?,? ['\u2018\"\u201c]?(?P<title>{TITLE})['\u2019\"\u201d]?,? "
                rf"(?:[^.]{{0,30}} )?(?:was|is|has been|were) (?:later |eventually |then )?(?:made|turned|adapted|transformed) into"), "film-noun"),
    (re.compile(rf"\b[A-Z][\w-]+-(?:directed|helmed|written|produced|led|starring|fronted) (?P<title>{TITLE})"), "film-noun"),
    (re.compile(rf"\b(?:stars?|starred|starring|appeared|appears|appearing|cameo|role|roles) in\s+(?P<title>{TITLE})"), "verb"),
    (re.compile(rf"\b(?:directed|directing|helmed|helming|co-wrote|co-directed|produced)\s+(?P<title>{TITLE})"), "verb"),
    (re.compile(rf"\bthe (?P<title>{TITLE}) (?:franchise|series|saga|trilogy|universe|films|movies)\b"), "franchise"),
]

FILM_CONTEXT_BEFORE = re.compile(
    rf"(?:\b(?:{FILM_NOUNS})s?,?|\b{YEAR}'s|\bdirected|\bstarring|\bstars? in|\bstarred in|\bsequel to|"
    r"\bremake of|\bfollow-up to|\bversion of|[A-Z][\w-]+'s|\bsee|\bwatch|\bwatched)\s*$"
)
FILM_CONTEXT_AFTER_STRONG = re.compile(
    rf"^(?:\s*\({YEAR}\)|\s+(?:grossed|debuted with|opened with|took in|(?:dropped|fell|slipped|rose|climbed|came in|landed|finished) "
    r"(?:to |in |at )?(?:the )?(?:first|second|third|fourth|fifth|top|no\. ?\d)))\b"
)
FILM_CONTEXT_AFTER = re.compile(
    rf"^(?:\s*\({YEAR}\)|'s (?:cast|director|star|stars|success|box office|opening|budget|plot|sequel|"
    r"trailer|premiere|release|script|screenplay|soundtrack|score|ending|finale|heist|shootout)\b|"
    r"\s+(?:director|star|sequel|remake|franchise|trailer|premiere|cast|co-star|screenwriter|writer|"
    r"producer|actor|actress|filmmaker|helmer)\b|,? (?:which|that) (?:stars|starred|was directed|grossed|premiered)\b|"
    r"\s+(?:grossed|debuted|premiered|premieres|hits theaters|was released|is released|"
    r"was directed|was written|was a box office|is a box office|is the kind of|(?:dropped|fell|slipped|rose|climbed|came in|landed|finished) "
    r"(?:to |in |at )?(?:the )?(?:first|second|third|fourth|fifth|top|no\. ?\d)\b)\b|,? starring\b)"
)

_NAME_WORD = r"[A-Z][\w']{0,40}(?:-[A-Z0-9][\w']*)*"  # "Jean-Luc", never "Oscar-winning"
CHAR = rf"(?:[A-Z][a-z]{{0,2}}\.|{_NAME_WORD})(?: {_NAME_WORD}){{0,3}}"  # a title ("Lt.", "Mrs.") only first
# describing words before a role's name ("a hopeful young Sheik X"); a joining word ends the description
_ROLE_WORDS = (r"(?:(?!(?:and|or|but|in|with|while|who|whose|which|that|to|from|for|on|at|by|when|where|as|opposite|"
               r"alongside|starring|featuring|also|like|including|such)\b)[a-z-]+,? )")  # "decent, god-fearing"
CHARACTER_AFTER_PERSON = [
    re.compile(
        rf"(?P<person>{NAME})(?: \([^)]{{0,200}}\))?,? (?:who |which )?(?:as(?! well\b)|plays|played|playing|voices|voiced|portrays|portrayed|"
        rf"stars as|starred as|starring as|reprising (?:his|her|their) role as|is cast as|was cast as|played the role of|"
        rf"returns as|returning as|returned as|return as|reprises (?:his|her|their) role as|(?:is|was) (?:[a-z]+ ){{1,3}}as|"
        rf"(?:has|have) been cast as) "
        rf"(?:[^.]{{0,60}}?\b(?:named|called) |(?:(?:the|our|his|her|their|a|an) )?{_ROLE_WORDS}{{0,5}}?(?:character )?['\u2018\"\u201c]?)(?P<char>{CHAR})"
    ),
]
CHARACTER_BEFORE_PERSON = [
    re.compile(rf"(?P<char>{CHAR}) \((?:played by |voiced by |portrayed by )?(?:the |a |an )?{_ROLE_WORDS}{{0,3}}(?P<person>{NAME})\)"),
    re.compile(rf"(?P<char>{CHAR}),? (?:[a-z][^,.()\n]{{0,40}}, )?(?:who is |who was )?(?:played|portrayed|voiced) by (?:[a-z]+ ){{0,2}}(?P<person>{NAME})"),
]
# a role taken by a pronoun or a role noun ("She plays X", "his turn as X", "will return as X")
CHARACTER_AFTER_ROLE = re.compile(
    rf"(?:\b(?:[Hh]e|[Ss]he|[Tt]hey|actor|actress|star|to)(?: also| now| later| will| would| to)? (?:plays|played|play|playing|stars as|starred as|"
    rf"star as|returns as|returned as|return as|is cast as|was cast as|portrays|portrayed|voices|voiced)"
    rf"|\b(?:role|turn|performance|cameo|stint) as) (?:the |our |a |an )?{_ROLE_WORDS}{{0,4}}?(?P<char>{CHAR})(?![\w'])"
)
REAL_PERSON = re.compile(rf"\b(?:real[- ]life|true story of (?:[a-z]+ ){{0,3}}|real) (?P<name>{NAME})")

OUTLET_CUES = re.compile(
    rf"\b(?:told|telling|tells|via|according to|speaking to|speaking with|in an interview with|"
    rf"an interview with|as reported by|reported by|(?:said|says) (?:in a statement )?to|wrote in|writing in|"
    rf"on the podcast) \(?\s*(?:the )?(?P<outlet>{TITLE})"
    rf"|(?P<reporter>{TITLE}) (?:first )?(?:reported|reports)\b"
)

FESTIVAL = re.compile(
    rf"(?:(?:the )?(?P<year>{YEAR}) )?(?P<name>(?:[A-Z][\w'.-]{{1,40}} ){{0,4}}(?:International )?Film Festival|"
    rf"Festival (?:de|du|of) [A-Z][\w-]{{1,40}}(?: [A-Z][\w-]{{1,40}}){{0,6}}|(?:[A-Z][\w'.-]{{1,40}} ){{1,3}}Festival)"
)
AWARD = re.compile(
    r"\b(?:(?:Academy Awards?|Oscars?|Golden Globes?|BAFTAs?|Emmys?|Palme d'Or|Golden (?:Lion|Bear)|"
    r"Silver (?:Lion|Bear)|Grand Prix|Jury Prize|Camera d'Or|C[ée]sars?|Critics' Choice Awards?|"
    r"Independent Spirit Awards?|SAG Awards?|Screen Actors Guild Awards?)"
    r"(?: for Best (?:[A-Z][a-z]+)(?: (?:[A-Z][a-z]+|in an?|in a|Role)){0,8})?"
    r"|Best (?:Picture|Director|Actor|Actress|Supporting Actor|Supporting Actress|Adapted Screenplay|"
    r"Original Screenplay|Screenplay|Film|Foreign Language Film|International Feature(?: Film)?|"
    r"Animated Feature|Documentary|Cinematography|Editing|Original Score|Visual Effects|Ensemble)"
    r"|(?:[A-Z][\w'-]{1,40} ){1,4}(?:Award|Prize|Trophy|Medal)s?)\b"  # any named "X Award" / "X Prize"
)

OWNER_OF_WORK = re.compile(rf"(?<![\w'])(?P<owner>[A-Z][\w&+-]{{0,40}}(?: [A-Z][\w&+-]{{0,40}}){{0,2}})'s? (?:[a-z-]+ ){{0,3}}(?:{FILM_NOUNS})s?\b")
ORG_RUN = re.compile(r"\b[A-Z][\w&'.+-]{0,40}[\w+.](?: [A-Z][\w&'.+-]{0,40}[\w+.]){0,3}")
NAME_BEFORE_TITLE = re.compile(r"(?<![\w'-])(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})'s\s+")
GIVEN_NAME_PAIR = re.compile(r"(?<![\w'-])(?P<given>[A-Z][a-z]{2,})\s(?P<family>(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![\w-]|\s[A-Z])")
STUDIO_OWNS_TITLE = re.compile(rf"(?<![\w'])(?P<owner>{LIST_ITEM})'s?\s+(?P<title>{TITLE})")
FILM_OWNS_PERSON = re.compile(rf"(?<![\w'])(?P<title>{LIST_ITEM})'s (?=[A-Z])")
OUTLET_BEFORE = re.compile(r"\b(?:told|tells|via|according to|interview with|speaking to|spoke to|wrote in|writing in|"
                           r"writing for|wrote for|published in|reported by|reports|in an interview in)\s+(?:the\s+)?$", re.I)
OTHER_MEDIA_BEFORE = re.compile(r"\b(?:podcast|show|series|book|novel|album|song|magazine|newspaper|column|blog|game|channel|website)\s+$", re.I)
NAME_RUN = re.compile(r"\b[A-Z][\w'-]+(?: (?:de |van |von |del |da |di )?[A-Z][\w'.-]+){1,3}\b")

_GENERIC = frozenset(
    "he she they it this that these those which who there here i we you his her their its one "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split()
)
_TRAILING_WORDS = re.compile(rf"(?:\s+(?:{_JOIN}))+$|[\s,.;:!?'\"-]+$|'s$")
_ROLE_PREFIX = re.compile(
    r"^(?:(?:the|a|an|director|writer|producer|actor|actress|star|filmmaker|composer|writer-director|"
    r"co-star|dr\.?|mr\.?|mrs\.?|ms\.?|sir|dame|and|with|by|as)\s+)+",
    re.IGNORECASE,
)


def trim_title(title: str) -> str:
    title = title.strip()
    prev = None
    while prev != title:
        prev = title
        title = _TRAILING_WORDS.sub("", title).strip()
    return title


def is_generic_phrase(title: str) -> bool:
    words = title.lower().split()
    return not words or words[0] in _GENERIC and len(words) == 1


def title_token(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0].isdigit())


_NOT_NAME_WORDS = frozenset(
    "film films festival studios studio pictures times news magazine review reporter awards award "
    "university college school company records entertainment productions media network channel".split()
)


_NAME_PARTICLES = frozenset("de van von der den del della da di du le la el al bin ibn y dos das".split())


_PLACE_WORDS = frozenset("new north south east west los las san santa fort saint st port mount lake upper lower".split())


def clean_person(raw: str) -> str:
    name = raw.split("\n")[0].split(" (")[0].strip()
    name = _ROLE_PREFIX.sub("", name)
    name = re.sub(r"'s?$", "", name).strip(" ,.;:-'\"()[]")
    if not name or not name[0].isupper() or any(ch.isdigit() for ch in name):
        return ""
    if name.lower() in _GENERIC or name.isupper() and len(name) <= 3:
        return ""
    if any(word in _NOT_NAME_WORDS for word in name.lower().split()):
        return ""  # "Felix Film", "New York Times": an outlet or organisation
    if name.split()[0].lower() in _PLACE_WORDS:
        return ""  # "New York", "Los Angeles"
    if any(w[0].islower() and w not in _NAME_PARTICLES for w in name.split()):
        return ""  # "Ballad of Mulan" is not a person's name
    return name


def clean_org(raw: str) -> str:
    name = raw.split("\n")[0].split(" (")[0].strip()
    if len(name.split()) > 5:
        return ""  # a whole headline tagged ORG
    name = re.sub(r"^(?:the)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"'s?$", "", name).strip(" ,;:-'\"()[]")
    return name if name and name[0].isupper() else ""
