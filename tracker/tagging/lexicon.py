"""Word lists the rules share: speech verbs, titles, anonymous sources."""

from __future__ import annotations

# Past and present forms of the verbs wire copy uses to attribute speech.
SPEECH_VERBS = frozenset(
    """said says say told tells added adds warned warns stressed stresses noted notes insisted insists argued argues
    denied denies announced announces confirmed confirms wrote writes tweeted tweets declared declares explained
    explains cautioned cautions urged urges asserted asserts maintained maintains reiterated reiterates claimed
    claims stated states replied replies asked asks acknowledged acknowledges admitted admits repeated repeats
    vowed vows pledged pledges promised promises threatened threatens complained complains suggested suggests
    predicted predicts signalled signaled signals hinted hints emphasised emphasized emphasises emphasizes
    countered counters responded responds retorted posted indicated indicates conceded concedes
    observed remarked recalled alleged alleges contended contends lamented believes""".split()
)
SPEECH_VERB_PATTERN = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))

# Words that may stand before a name as a title ("President Erdogan", "Gen. Akar").
TITLE_WORDS = frozenset(
    """president prime minister secretary senator sen sen. rep rep. representative congressman congresswoman
    gen gen. general lt lt. lieutenant col col. colonel maj maj. major adm adm. admiral capt capt. captain
    mr mr. mrs mrs. ms ms. dr dr. sir sheikh prince crown king queen chairman chairwoman chair chief ceo
    spokesman spokeswoman spokesperson ambassador envoy deputy acting vice governor gov gov. director
    commander undersecretary under foreign defence defense interior finance trade economy state army
    navy air force national security adviser advisor former then ex- leader head lawmaker mp minister,
    democratic republican senators ministers officials""".split()
)

# Words before a person's name that are not part of it ("Senator", "Colonel", "analyst").
HONORIFICS = frozenset(
    """president prime minister secretary senator sen sen. rep rep. representative congressman congresswoman
    gen gen. general lt lt. lieutenant col col. colonel maj maj. major adm adm. admiral capt capt. captain
    mr mr. mrs mrs. ms ms. dr dr. sir sheikh prince king queen chairman chairwoman chair ceo spokesman
    spokeswoman spokesperson ambassador envoy deputy acting vice governor gov gov. director commander
    undersecretary analyst professor prof prof. lawmaker mp chief adviser advisor former then leader""".split()
)
# Last words of organisation names: "Defense Security Cooperation Agency".
ORGANISATION_WORDS = frozenset(
    """agency ministry office committee council department forum institute institution party corporation corp
    company group bank service services command administration authority commission directorate bureau
    foundation centre center association union organisation organization industries systems technologies
    presidency parliament assembly court university board""".split()
)

# Nouns that name a source without naming a person.
ANONYMOUS_NOUNS = (
    r"sources?|officials?|diplomats?|people|persons?|insiders?|aides?|analysts?|experts?|observers?|authorities|police|"
    r"witness(?:es)?|residents?|farmers?|fans?|critics?|officers?|investigators?|\w+ists|"
    r"executives?|lawmakers?|legislators?|officers?|negotiators?|staffers?|someone|spokes(?:man|woman|person)"
)

PRONOUNS = {"he": "male", "she": "female", "it": "it", "they": "they", "him": "male", "her": "female"}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_ABBREVIATIONS = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}

# Role nouns that open a sentence before a name ("Quarterback Tom Brady", "Analyst Jane Roe").
ROLE_NOUNS = frozenset(
    """coach quarterback analyst researcher farmer expert economist professor commentator lawyer journalist
    activist official diplomat scholar fellow author editor writer pilot engineer witness resident player
    striker manager owner founder investor trader strategist consultant historian sergeant officer""".split()
)

# Demonyms, so "a Greek government spokesman" can speak for Greece.
DEMONYMS = {
    "turkish": "Turkey",
    "greek": "Greece",
    "russian": "Russia",
    "american": "United States",
    "u.s.": "United States",
    "us": "United States",
    "indian": "India",
    "egyptian": "Egypt",
    "emirati": "United Arab Emirates",
    "israeli": "Israel",
    "swedish": "Sweden",
    "french": "France",
    "german": "Germany",
    "british": "United Kingdom",
    "chinese": "China",
    "iranian": "Iran",
    "saudi": "Saudi Arabia",
    "pakistani": "Pakistan",
    "japanese": "Japan",
    "ukrainian": "Ukraine",
    "polish": "Poland",
    "italian": "Italy",
    "spanish": "Spain",
    "dutch": "Netherlands",
    "cypriot": "Cyprus",
    "qatari": "Qatar",
    "syrian": "Syria",
    "iraqi": "Iraq",
}
