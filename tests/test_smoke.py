import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_find_commune_page_answers_in_vietnamese_by_default(client, commune_a):
    response = client.get(reverse("portal:find_commune"), {"q": "xa an"})
    assert response.status_code == 200
    assert "Xã An" in response.content.decode()
    assert 'lang="vi"' in response.content.decode()
