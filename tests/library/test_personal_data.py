"""What the library holds about a person: in their download, and gone on erasure."""

from __future__ import annotations

from civicflow.core.personal_data import personal_data_erase, personal_data_export
from civicflow.library.models import CaseStudy
from tests.factories import UserFactory


def test_a_contact_downloads_and_erases_what_the_library_holds(case, author, editor):
    contact = UserFactory(email="nadia@hospital.example")
    data = personal_data_export(contact)
    assert data["case_studies"][0]["contact_name"] == "Nadia Patel"
    assert personal_data_export(author)["case_studies"][0]["author"] is True
    assert personal_data_export(editor)["case_reviews"][0]["decision"] == "published"
    personal_data_erase(contact)
    case = CaseStudy.objects.get(pk=case.pk)
    assert (case.contact_name, case.contact_email) == ("", "")
    assert case.status == "published"
