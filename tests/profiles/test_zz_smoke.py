import pytest

from tests.factories import EducationFactory, PositionFactory


@pytest.mark.django_db
def test_smoke(alice_client, alice, client):
    PositionFactory(profile=alice.profile)
    EducationFactory(profile=alice.profile)
    r = alice_client.get(f"/in/{alice.profile.slug}/")
    assert r.status_code == 200, r.content[:3000]
    print(r.content.decode()[:200])
    for url in [
        "/me/edit/intro/",
        "/me/edit/about/",
        "/me/edit/contact/",
        "/me/edit/image/photo/",
        "/me/edit/positions/add/",
        "/me/edit/skills/",
        "/me/visibility/",
        "/me/edit/education/add/",
    ]:
        r = alice_client.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
        r = alice_client.get(url, HTTP_HX_REQUEST="true")
        assert r.status_code == 200, (url, r.content[:3000])
    r = alice_client.get(f"/in/{alice.profile.slug}/?as=public")
    assert r.status_code == 200
    r = alice_client.post(
        "/me/edit/positions/add/",
        {
            "positions-title": "Dev",
            "positions-company_name": "Acme",
            "positions-start_date": "2020-01",
            "positions-is_current": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert b"Acme" in r.content, r.content.decode()
