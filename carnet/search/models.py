"""The people-search index: one denormalised document per member.

A document holds only what every signed-in member may see of the profile (the "members"
projection of the visibility policy, see documents.py), normalised (lower case, no accents,
words separated by single spaces), so that a search can never match a field the searcher may
not see, and both engines compare like with like.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    # Each column: normalised words with a leading space (" acme corp"), several values
    # (companies, schools) separated by " |", so " " + words finds a word prefix anywhere.
    name = models.TextField()
    sort_name = models.CharField(max_length=300)
    headline = models.TextField(blank=True)
    positions = models.TextField(blank=True)  # titles of the visible positions
    companies = models.TextField(blank=True)
    schools = models.TextField(blank=True)
    location = models.TextField(blank=True)
    skills = models.TextField(blank=True)
    # Everything above in one column: what the portable engine searches.
    document = models.TextField(blank=True)
    # PostgreSQL only (null elsewhere): the weighted tsvector the GIN index covers (name A;
    # headline, titles, companies B; skills, schools, location C). It is filled by the engine
    # when the row is written, not generated, so SQLite keeps a plain nullable column.
    vector = SearchVectorField(null=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["sort_name", "member"], name="search_doc_sort_name")]

    def __str__(self):
        return f"search document of {self.member_id}"
