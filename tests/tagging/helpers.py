"""What the statement tests read off a tagging: who said it, which kind, which words."""

from datetime import date

from tracker.tagging.pipeline import tag_article

FRIDAY = date(2019, 6, 7)


def statements(text, vocabulary, published=FRIDAY, title=""):
    """Tag `text`; return (speaker, kind, text) per statement. The speaker is the actor's
    name, "anonymous", "candidate:<as written>", or None."""
    result = tag_article(title=title, text=text, published=published, vocabulary=vocabulary)
    out = []
    for s in result.statements:
        if s.speaker_id:
            who = vocabulary.actors[s.speaker_id].name
        elif s.anonymous:
            who = "anonymous"
        elif s.candidate:
            who = f"candidate:{s.speaker_text}"
        else:
            who = None
        out.append((who, s.kind, s.text))
    return out
