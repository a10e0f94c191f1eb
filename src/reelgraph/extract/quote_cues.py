"""Cue vocabulary for quote attribution: generic speech verbs, role nouns and outlet phrasings.

No names of people or outlets; `quote_context.py` and `attribution.py` match these.
"""
from __future__ import annotations

import re

from ..names import fold


def _inflect(bases: str) -> frozenset[str]:
    forms: set[str] = set()
    for b in bases.split():
        stem = b[:-1] if b.endswith("e") else b[:-1] + "i" if b.endswith("y") and b[-2] not in "aeiou" else b
        forms |= {b, b + "s", stem + "ed", (b[:-1] if b.endswith("e") else b) + "ing"}
        if b.endswith("y") and b[-2] not in "aeiou":
            forms.add(stem + "es")
        if len(b) <= 4 and b[-1] in "gnpt" and b[-2] in "aeiou":  # grin -> grinned
            forms |= {b + b[-1] + "ed", b + b[-1] + "ing"}
    return frozenset(forms)


SPEECH_VERBS = _inflect(
    "say tell add explain muse note state reveal recall remember laugh smile grin chuckle shrug insist admit "
    "continue describe call quip joke claim argue reply respond answer ask declare announce tweet post comment "
    "confirm agree warn suggest praise remark recount acknowledge observe sigh enthuse gush concede offer share "
    "conclude promise predict boast complain deny exclaim mutter whisper shout scream beam tease confess reflect "
    "elaborate stress emphasise emphasize opine lament reminisce caption wonder urge plead vow rave blast slam "
    "dub label brand term quote read write echo point mention detail nod smirk giggle gripe marvel assure "
    "dish confide"
) | {"said", "told", "wrote", "written", "read", "went", "goes", "thought"}
CONTINUE_VERBS = frozenset({"continued", "continues", "continuing", "went", "goes"})
PERSON_ROLES = frozenset(
    "director filmmaker actor actress star writer screenwriter author novelist producer executive singer rapper "
    "comedian comic musician composer journalist host presenter mayor governor president chief founder ceo "
    "chairman chairwoman creator showrunner artist playwright helmer auteur performer model designer analyst "
    "professor teacher expert man woman mother father mom dad son daughter wife husband veteran legend icon "
    "cinematographer editor poet activist politician boss head curator spokesman spokeswoman spokesperson".split())
ANONYMOUS = frozenset("source insider friend fan critic people audience".split())
ORG_ROLES = frozenset(
    "studio company university network streamer distributor festival firm agency label channel broadcaster "
    "college school museum institute organisation organization group team league government ministry "
    "department service platform outlet paper newspaper magazine publication site website academy council "
    "board charity foundation".split())
UTTERANCE_NOUNS = frozenset(
    "statement note release post tweet letter description line message report memo email announcement "
    "caption synopsis logline blurb summary text account it".split())
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
FIRST_SECOND = frozenset({"i", "we", "you", "me", "us", "one"})
NOT_OUTLETS = frozenset(fold(w) for w in (
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December I He She They We It This That There Then Now Today").split())

_UPPER = r"[^\W\d_a-z\u00df-\u00ff]"  # a capital letter, accented ones included
NAME_PART = rf"(?:{_UPPER}[\w&'\u2019!+-]{{0,3}}\.(?!\w)|{_UPPER}[\w&'\u2019!+-]*)"  # "Bros." keeps its dot
_CONNECT = r"(?:of|the|from|and|&|for|in|de|on|at|to|a)"
NAME = rf"(?:The[ \t]+)?{NAME_PART}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{NAME_PART})*"
_SUBTITLE = rf"(?:[ \t]*:[ \t]+{NAME_PART}(?:[ \t]+{NAME_PART})*)?"
_THE = r"(?:the\s+)?"
PLATFORMS = ("Twitter", "Instagram", "Facebook", "TikTok", "YouTube", "Snapchat", "Weibo", "Reddit", "LinkedIn",
             "Threads", "Bluesky", "Tumblr")
_PLATFORMS = "|".join(PLATFORMS)
_TO_VERBS = "|".join(sorted(w for w in SPEECH_VERBS if w.endswith("ed") or w in ("said", "told", "wrote")
                            if w not in {"continued", "added", "pointed", "echoed", "called", "offered", "mentioned",
                                         "answered", "replied", "responded", "read", "referred"}))
# (pattern, kind); "report" marks a source of reported wording ("Deadline reported").
OUTLET_PATTERNS = [(re.compile(p), kind) for p, kind in [
    (rf"\b(?i:told|tells|telling|tell)\s+{_THE}(?P<name>{NAME})", "told"),
    (rf"\((?i:\s*via)\s+{_THE}(?P<name>{NAME})\s*\)|\bvia\s+{_THE}(?P<name2>{NAME})", "via"),
    (rf"\b(?i:interview)\s+(?:published\s+)?(?:with|for|in|to)\s+{_THE}(?P<name>{NAME})", "interview"),
    (rf"\b(?i:speaking|spoke|speaks|speak|talking|talked|talks|chatting|chatted)\s+(?:to|with)\s+{_THE}"
     rf"(?P<name>{NAME})", "interview"),
    (rf"\b(?i:according)\s+to\s+{_THE}(?P<name>{NAME})", "report"),
    (rf"\b(?:reported|quoted|revealed|obtained)\s+by\s+{_THE}(?P<name>{NAME})", "report"),
    (rf"(?:^|(?<=[.!?\n])|(?<=[.!?]\s))\s*From\s+{_THE}(?P<name>{NAME})\s*:", "report"),
    (rf"\bstatement\s+(?:to|for|released\s+to)\s+{_THE}(?P<name>{NAME})", "told"),
    (rf"\bon\s+{_THE}(?P<name>{NAME})\s+(?:podcast|show|programme|program|radio\s+show)\b", "show"),
    (rf"\bon\s+(?:the\s+|(?:his|her|their)\s+)?(?:\w+\s+)?(?:podcast|show|programme|program|series|broadcast)"
     rf"\s*,?\s+(?P<name>{NAME}{_SUBTITLE})", "show"),
    (rf"\b(?:wrote|writes|writing|posted|posts|posting|tweeted|shared|announced|said|says|revealed)\s+"
     rf"(?:\w+\s+)?on\s+(?P<name>{NAME})", "on"),
    (rf"\b(?:wrote|writes|writing)\s+(?:\w+\s+)?in\s+{_THE}(?P<name>{NAME})", "on"),
    (rf"\b(?:said|says|explained|explains|revealed|reveals|admitted|admits|described|describes|confirmed|"
     rf"confirms|confessed)\s+(?:it\s+|this\s+|that\s+)?to\s+{_THE}(?P<name>{NAME})", "told"),
    (rf"\b(?:op-ed|column|essay|piece|article|feature|profile)\s+(?:for|in)\s+{_THE}(?P<name>{NAME})", "on"),
    # any speech verb "to" a name: "dished to X", "confided to the X"
    (rf"\b(?i:{_TO_VERBS})\s+(?:it\s+|this\s+|that\s+)?to\s+{_THE}(?P<name>{NAME})", "told"),
    (rf"\b(?:promoting|discussing|plugging)\s+(?:[\w'\u2019:-]+\s+){{1,5}}?(?:to|with)\s+{_THE}(?P<name>{NAME})", "told"),
    # "described the film, in the X, as ...": an outlet set off by commas after a speech verb
    (rf"\b(?i:{_TO_VERBS}|says|writes)\b[^.!?\n\"\u201c\u2018]{{0,60}}?,\s+in\s+{_THE}(?P<name>{NAME})\s*,", "on"),
    # shows and stations by their own name: "on Someone's The Late Show", "told Radio Five Live"
    (rf"\b(?:on|to|told)\s+(?:{NAME_PART}['\u2019]s\s+)?(?P<name>(?:The\s+)?{NAME_PART}(?:\s+{NAME_PART})*\s+"
     rf"(?:Show|Podcast|Tonight|Live|Hour|Radio|Today|Breakfast))\b", "show"),
    # social platforms: "on Instagram", "an Instagram post", "via Twitter"
    (rf"\b(?:on|to|via|in)\s+(?:his\s+|her\s+|their\s+|its\s+)?(?P<name>{_PLATFORMS})\b", "on"),
    (rf"\b(?P<name>{_PLATFORMS})\s+(?:post|posts|video|story|stories|caption|live|account|page|feed|message|"
     rf"update|statement|thread|clip|Live)\b", "on"),
]]
TWEETED = re.compile(r"\b(?:tweet(?:ed|s|ing)?|retweet(?:ed|s)?)\b", re.I)  # the platform by its verb
EMBED_PLATFORMS = (("twitter.com", "Twitter"), ("instagram.com", "Instagram"), ("facebook.com", "Facebook"),
                   ("tiktok.com", "TikTok"), ("youtube.com", "YouTube"), ("youtu.be", "YouTube"))
REPORTED = re.compile(r"\b(?:reported|reports)\b")  # "Deadline reported": the name is matched backwards
NAME_BEFORE_REPORTED = re.compile(rf"(?P<name>{NAME})\s+(?:has\s+|have\s+|also\s+|first\s+)?$")
SAYS_AFTER = re.compile(r"\s+(?:also\s+)?(?:says|said|writes|wrote|notes|noted|adds|added|reports)\b")
REPORTEDLY = re.compile(r"\b(?:reportedly|it(?:'s| is| was| has been) (?:being )?reported)\b", re.I)
INTERVIEWEE = re.compile(r"\b(?:spoke|speaks|speak|spoken|talked|talks|talk|chatted|chats|sat down|caught up|"
                          r"met)\s+(?:to|with)\s+|\binterview(?:ed|s|ing)?\s+(?:with\s+)?|"
                          r"\bconversation\s+with\s+(?:\w+\s+)?", re.I)


def clean_name(name: str) -> str:
    """A matched name without trailing sentence dot, possessive or stray punctuation."""
    name = re.sub(r"['\u2019]s$", "", re.sub(r"\s+", " ", name).strip())
    if re.search(r"\b(?:Bros|Inc|Co|Corp|Ltd|Jr|Sr|Pty|Cos)\.$", name):
        return name  # "Warner Bros.", "Acme Inc."
    return name.rstrip(".,;:!?'\u2019 ")

