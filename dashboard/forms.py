"""Filter forms for the list pages, the timeline and their exports.

Every filter arrives in the query string so a view can be shared; the forms turn it
into clean values and explain what they refused (bad dates, unknown stances, NUL
characters, very long searches) instead of failing.
"""

from __future__ import annotations

from django import forms

from tracker.models import Statement

SEARCH_MAX = 200
KIND_CHOICES = [
    ("", "everything"),
    ("milestone", "milestones"),
    ("statement", "statements"),
    ("direct", "direct quotes"),
    ("reported", "reported speech"),
    ("article", "articles"),
]
STANCE_CHOICES = [("", "any stance"), *Statement.Stance.choices]
STATEMENT_KIND_CHOICES = [("", "quotes and reported speech"), *Statement.Kind.choices]


class DateInput(forms.DateInput):
    input_type = "date"


class FilterForm(forms.Form):
    """Filters shared by the timeline and the statements and articles lists."""

    q = forms.CharField(label="Search", required=False, max_length=SEARCH_MAX)
    actor = forms.CharField(
        label="Actor", required=False, max_length=200, help_text="Name or part of a name", strip=True
    )
    side = forms.ChoiceField(label="Side", required=False)
    system = forms.ChoiceField(label="Weapons system", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=KIND_CHOICES)
    stance = forms.ChoiceField(label="Stance", required=False, choices=STANCE_CHOICES)
    source = forms.ChoiceField(label="Source", required=False)
    dispute = forms.ChoiceField(label="Dispute", required=False)
    since = forms.DateField(label="From", required=False, widget=DateInput)
    until = forms.DateField(label="To", required=False, widget=DateInput)

    def __init__(self, data, *, sides=(), systems=(), sources=(), disputes=(), kinds=KIND_CHOICES, drop=()):
        super().__init__(data)
        self.fields["side"].choices = [("", "any side"), *((s, s) for s in sides)]
        self.fields["system"].choices = [("", "any system"), *((s.slug, s.name) for s in systems)]
        self.fields["source"].choices = [("", "any source"), *((str(s.pk), s.name) for s in sources)]
        self.fields["dispute"].choices = [("", "any dispute"), *((d.slug, d.name) for d in disputes)]
        self.fields["kind"].choices = kinds
        for name in drop:
            del self.fields[name]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data

    def values(self) -> dict:
        """Return the filters that were valid, empty ones left out (invalid ones are reported, not applied)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}

    def active(self) -> bool:
        return bool(self.values())


def statement_form(data, **choices) -> FilterForm:
    return FilterForm(data, kinds=STATEMENT_KIND_CHOICES, **choices)
