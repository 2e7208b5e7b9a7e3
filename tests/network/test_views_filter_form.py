"""My network's filter form is written out in network/index.html from NetworkFilterForm.controls()
instead of form.as_div (much cheaper): it must stay the same markup, labels, ids, values and errors
included, whatever the query string and the member's labels."""

import re

import pytest
from django.http import QueryDict
from django.test.html import parse_html
from django.utils import translation

from carnet.network.forms import NetworkFilterForm
from carnet.network.selectors import label_list
from carnet.network.services import label_create

pytestmark = pytest.mark.django_db

_FORM = re.compile(r'class="stacked" role="search"[^>]*>(.*?)<button type="submit">', re.S)

QUERIES = [
    "",
    "sort=last_name",
    "name=Ada&since=garbage",
    "company=Acme&school=Uni&location=Lyon&skill=Python&since=2020-01-01&sort=first_name",
    "label=999&sort=nonsense",
    "label=abc",
    "name=%22%3E%3Cscript%3E&location=%26amp%3B",
    "name=" + "x" * 150,
    "page=2",
    "name=first&name=second",
]


def _form_markup(client, query: str) -> str:
    response = client.get("/network/" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return _FORM.search(response.content.decode()).group(1)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("query", QUERIES)
def test_the_written_out_form_is_the_markup_of_as_div(alice_client, alice, query, language):
    own = [label_create(owner=alice, name="Climbing <club>"), label_create(owner=alice, name="Alumni")]
    query = query.replace("label=999", f"label={own[1].pk}") if "sort=nonsense" in query else query
    alice_client.cookies["django_language"] = language
    shown = _form_markup(alice_client, query)
    with translation.override(language):
        labels = list(label_list(owner_id=alice.pk))
        expected = NetworkFilterForm(QueryDict(query) or None, labels=labels).as_div()
    assert parse_html(shown) == parse_html(expected)
    assert ("Trier par" in shown) == (language == "fr")


def test_the_form_shows_the_current_filters_and_labels(alice_client, alice):
    climbing = label_create(owner=alice, name="Climbing club")
    shown = _form_markup(alice_client, f"name=Ada&label={climbing.pk}&sort=last_name&since=2021-03-04")
    assert '<label for="id_name">Name:</label>' in shown
    assert 'name="name" value="Ada"' in shown
    assert f'<option value="{climbing.pk}" selected>Climbing club</option>' in shown
    assert '<option value="last_name" selected>' in shown
    assert 'type="date" name="since" value="2021-03-04"' in shown


def test_a_bad_value_shows_its_error_tied_to_the_field(alice_client):
    shown = _form_markup(alice_client, "since=garbage")
    assert '<ul class="errorlist" id="id_since_error"><li>Enter a valid date.</li></ul>' in shown
    assert 'aria-invalid="true" aria-describedby="id_since_error" id="id_since"' in shown
