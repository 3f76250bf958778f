"""django-allauth's pages as civicflow shows them: GOV.UK markup, and the real flows behind them.

Each flow goes through the pages with the test client as a person would: sign up and confirm
the email address, sign in (and fail to), reset a password by email, and turn on two-factor
authentication with a code worked out from the secret on the page, as an authenticator app
would. Every page on the way is checked for the GOV.UK shape in ``assert_govuk_page``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from html.parser import HTMLParser

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from civicflow.accounts.models import User
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a-much-longer-new-passphrase"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with no rate-limit counters and no used TOTP codes (both are cached)."""
    cache.clear()
    yield
    cache.clear()


# Reading pages --------------------------------------------------------------------------------

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
FORM_CONTROL_CLASSES = {
    "govuk-input",
    "govuk-textarea",
    "govuk-select",
    "govuk-checkboxes__input",
    "govuk-radios__input",
}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], ancestors: list[Element]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.ancestors = ancestors
        self.classes = set(attrs.get("class", "").split())
        self.text = ""

    def inside(self, css_class: str) -> bool:
        return any(css_class in ancestor.classes for ancestor in self.ancestors)

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class Page(HTMLParser):
    """The elements of an HTML page, each with its ancestors and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, list(self._open))
        self.elements.append(element)
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def all(self, tag: str) -> list[Element]:
        return [element for element in self.elements if element.tag == tag]

    def with_class(self, css_class: str) -> list[Element]:
        return [element for element in self.elements if css_class in element.classes]

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.attrs.get("id") == element_id), None)

    def text(self, tag: str) -> str:
        return " ".join(self.all(tag)[0].text.split())

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def h1(self) -> str:
        return self.text("h1")

    def error_summary_links(self) -> list[str]:
        return [e.attrs["href"] for e in self.all("a") if e.inside("govuk-error-summary")]


def assert_govuk_page(response) -> Page:
    """Check the page is civicflow's, built from GOV.UK components, and return it."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/html")
    page = Page(response.content.decode())
    assert page.with_class("govuk-template__body"), "the page extends civicflow's base.html"

    h1s = page.all("h1")
    assert len(h1s) == 1, f"one h1, not {len(h1s)}"
    assert "govuk-heading-l" in h1s[0].classes
    assert h1s[0].inside("govuk-grid-column-two-thirds")

    inline_scripts = [e for e in page.all("script") if "src" not in e.attrs]
    assert not inline_scripts, "the content security policy refuses inline script"
    assert not page.all("style"), "the content security policy refuses inline style"
    assert not [e for e in page.elements if "style" in e.attrs], "no style= attributes"

    in_main = [e for e in page.elements if any(a.tag == "main" for a in e.ancestors)]
    for element in in_main:
        if element.tag == "a" and not element.inside("govuk-error-summary"):
            assert element.classes & {"govuk-link", "govuk-button"}, element
        if element.tag == "button":
            assert "govuk-button" in element.classes, element
        if element.tag in {"input", "textarea", "select"} and element.attrs.get("type") != "hidden":
            assert element.classes & FORM_CONTROL_CLASSES, element
            labels = [e for e in page.all("label") if e.attrs.get("for") == element.attrs["id"]]
            assert len(labels) == 1, f"one label for #{element.attrs['id']}"
            assert "govuk-label" in labels[0].classes
    if page.title.startswith("Error:"):
        assert page.with_class("govuk-error-summary")
    return page


def assert_error_page(response, *messages: str) -> Page:
    """Check the form came back with a GOV.UK error summary saying each of ``messages``."""
    page = assert_govuk_page(response)
    assert page.title.startswith("Error: "), page.title
    summaries = page.with_class("govuk-error-summary")
    assert len(summaries) == 1
    assert page.elements.index(summaries[0]) < page.elements.index(page.all("h1")[0])
    for href in page.error_summary_links():
        assert page.by_id(href.removeprefix("#")) is not None, f"nothing at {href}"
    summary_text = " ".join(summaries[0].text.split())
    for message in messages:
        assert message in summary_text
    return page


# Doing what a person does ---------------------------------------------------------------------


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def link_in(message) -> str:
    """Return the path of the one link in an email."""
    urls = re.findall(r"https?://\S+", message.body)
    assert len(urls) == 1, urls
    return re.sub(r"^https?://[^/]+", "", urls[0])


def totp_code(secret: str) -> str:
    """Return the 6-digit code an authenticator app shows now for ``secret`` (RFC 6238)."""
    counter = int(time.time() // 30)
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def reauthenticate(client: Client) -> None:
    """Enter the password again, as allauth asks before changes to two-factor authentication."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def turn_on_totp(client: Client) -> str:
    """Set up an authenticator app through the pages and return the secret it was given."""
    page = assert_govuk_page(client.get(reverse("mfa_activate_totp")))
    secret_element = page.by_id("totp-secret")
    assert secret_element is not None
    secret = secret_element.text.strip()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


@pytest.fixture
def person(db):
    return UserFactory(email="pat@example.com")


@pytest.fixture
def signed_in(client, person):
    """Return a client signed in through the sign-in page, as allauth records it."""
    assert sign_in(client, person.email).status_code == 302
    return client


# Signing up -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_then_confirm_the_email_address_and_be_signed_in(
    client, django_capture_on_commit_callbacks
):
    page = assert_govuk_page(client.get(reverse("account_signup")))
    assert page.h1 == "Create an account"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new.person@example.com",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user(client) is None
    assert assert_govuk_page(client.get(response["Location"])).h1 == "Check your email"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert message.subject == "civicflow: Confirm your email address"
    assert message.body.startswith("Hello,")
    assert "Thank you for creating a civicflow account." in message.body
    assert message.body.rstrip().endswith("The civicflow team")

    confirm_path = link_in(message)
    page = assert_govuk_page(client.get(confirm_path))
    assert page.h1 == "Confirm your email address"
    assert "Confirm that new.person@example.com is your email address." in page.text("main")
    assert signed_in_user(client) is None, "following the link alone changes nothing"

    response = client.post(confirm_path)
    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None
    assert user.email == "new.person@example.com"
    assert user.emailaddress_set.get().verified
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "You are signed in as new.person@example.com." in Page(response.content.decode()).text(
        "main"
    )


@pytest.mark.django_db
def test_sign_up_with_mismatched_passwords_shows_the_error_and_creates_nobody(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.person@example.com", "password1": NEW_PASSWORD, "password2": "different"},
    )
    page = assert_error_page(response, "You must type the same password each time.")
    assert page.error_summary_links() == ["#id_password2"]
    assert page.by_id("id_email").attrs["value"] == "new.person@example.com"
    assert not User.objects.filter(email="new.person@example.com").exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_a_wrong_confirmation_link_says_so(client):
    page = assert_govuk_page(client.get("/accounts/confirm-email/not-a-key/"))
    assert page.h1 == "This link does not work"


# Signing in -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signing_in_with_a_wrong_password_shows_an_error_and_changes_nothing(client, person):
    password_before = person.password
    response = sign_in(client, person.email, "not-my-password")
    page = assert_error_page(response, "Enter a correct email address and password")
    assert page.by_id("id_login").attrs["value"] == person.email
    assert page.by_id("id_password").attrs["value"] == "", "the password is not sent back"
    assert signed_in_user(client) is None
    person.refresh_from_db()
    assert person.password == password_before
    assert person.last_login is None


@pytest.mark.django_db
def test_signing_in_with_nothing_entered_links_each_error_to_its_field(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    page = assert_error_page(response)
    assert page.error_summary_links() == ["#id_login", "#id_password"]
    login = page.by_id("id_login")
    assert "govuk-input--error" in login.classes
    assert "id_login-error" in login.attrs["aria-describedby"]
    assert page.by_id("id_login-error") is not None


@pytest.mark.django_db
def test_sign_in_is_rate_limited_after_repeated_failures(client, person):
    for _attempt in range(5):
        assert_error_page(
            sign_in(client, person.email, "not-my-password"),
            "Enter a correct email address and password",
        )

    response = sign_in(client, person.email, PASSWORD)
    assert_error_page(response, "Too many failed attempts to sign in")
    assert signed_in_user(client) is None, "even the right password is refused for now"

    cache.clear()  # as when the five minutes have passed
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    assert signed_in_user(client) == person


@pytest.mark.django_db
def test_signing_in_with_an_unconfirmed_address_sends_a_new_link(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="unconfirmed@example.com", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, person.email)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user(client) is None
    assert len(mail.outbox) == 1
    assert link_in(mail.outbox[0]).startswith("/accounts/confirm-email/")


@pytest.mark.django_db
def test_signing_out(signed_in):
    page = assert_govuk_page(signed_in.get(reverse("account_logout")))
    assert page.h1 == "Sign out"
    response = signed_in.post(reverse("account_logout"), follow=True)
    assert signed_in_user(signed_in) is None
    assert "You have signed out." in Page(response.content.decode()).text("main")


# Resetting a password -------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_by_email(client, person, django_capture_on_commit_callbacks):
    assert assert_govuk_page(client.get(reverse("account_reset_password"))).h1 == (
        "Reset your password"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert assert_govuk_page(client.get(response["Location"])).h1 == "Check your email"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.subject == "civicflow: Reset your password"
    response = client.get(link_in(message))
    assert response.status_code == 302, "allauth takes the key out of the address"
    form_path = response["Location"]
    assert assert_govuk_page(client.get(form_path)).h1 == "Choose a new password"

    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": "different"})
    assert_error_page(response, "You must type the same password each time.")

    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    page = assert_govuk_page(client.get(response["Location"]))
    assert page.h1 == "Your password has been changed"

    assert_error_page(
        sign_in(Client(), person.email, PASSWORD), "Enter a correct email address and password"
    )
    fresh = Client()
    assert sign_in(fresh, person.email, NEW_PASSWORD).status_code == 302
    assert signed_in_user(fresh) == person

    response = client.get(link_in(message), follow=True)
    assert Page(response.content.decode()).h1 == "This link does not work", "used once only"


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_looks_the_same_and_says_so_by_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "civicflow: You do not have an account"
    assert link_in(mail.outbox[0]) == reverse("account_signup")


@pytest.mark.django_db
def test_a_wrong_reset_link_says_so(client):
    page = assert_govuk_page(client.get("/accounts/password/reset/key/1-wrong-key/"))
    assert page.h1 == "This link does not work"


@pytest.mark.django_db
def test_changing_a_password_needs_the_current_one(signed_in, person):
    response = signed_in.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert_error_page(response)
    person.refresh_from_db()
    assert person.check_password(PASSWORD)

    response = signed_in.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_an_account_with_no_password_can_set_one(client):
    person = UserFactory(email="nopassword@example.com")
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    page = assert_govuk_page(client.get(reverse("account_set_password")))
    assert page.h1 == "Set a password"
    response = client.post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


# Email addresses ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_resending_and_removing_an_email_address(
    signed_in, person, django_capture_on_commit_callbacks
):
    client = signed_in
    response = client.post(reverse("account_email"), {"action_add": "", "email": "not-an-email"})
    assert assert_error_page(response).error_summary_links() == ["#id_email"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "pat.work@example.gov.uk"}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["pat.work@example.gov.uk"]

    page = assert_govuk_page(client.get(reverse("account_email")))
    row = next(r for r in page.all("tr") if "pat.work@example.gov.uk" in r.text)
    assert "Not confirmed" in row.text
    buttons = {b.attrs.get("name") for b in page.all("button") if "pat.work@" in b.text}
    assert buttons == {"action_send", "action_remove"}

    resend = {"action_send": "", "email": "pat.work@example.gov.uk"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), resend)
    assert len(mail.outbox) == 1, "one confirmation email every 3 minutes at most"
    cache.clear()  # as when the three minutes have passed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), resend, follow=True)
    assert len(mail.outbox) == 2
    assert mail.outbox[-1].to == ["pat.work@example.gov.uk"]
    assert "We have sent a confirmation email to pat.work@example.gov.uk." in Page(
        response.content.decode()
    ).text("main")

    response = client.post(
        reverse("account_email"), {"action_remove": "", "email": "pat.work@example.gov.uk"}
    )
    assert response.status_code == 302
    assert list(person.emailaddress_set.values_list("email", flat=True)) == [person.email]


# Two-factor authentication --------------------------------------------------------------------


@pytest.mark.django_db
def test_turning_on_totp_makes_sign_in_ask_for_a_code(signed_in, person):
    client = signed_in
    response = client.get(reverse("mfa_index"))
    assert "Set up an authenticator app" in assert_govuk_page(response).text("main")

    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302, "allauth asks for the password again first"
    reauthenticate_path = response["Location"]
    assert reauthenticate_path.startswith(reverse("account_reauthenticate"))
    assert assert_govuk_page(client.get(reauthenticate_path)).h1 == "Confirm it is you"
    assert_error_page(client.post(reauthenticate_path, {"password": "not-my-password"}))
    response = client.post(reauthenticate_path, {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")

    page = assert_govuk_page(client.get(reverse("mfa_activate_totp")))
    qr_codes = [e for e in page.all("img") if e.attrs["src"].startswith("data:image/svg+xml;")]
    assert len(qr_codes) == 1
    assert qr_codes[0].attrs["alt"]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert assert_error_page(response, "Incorrect code").error_summary_links() == ["#id_code"]
    assert not Authenticator.objects.filter(user=person).exists()

    secret = turn_on_totp(client)
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    page = assert_govuk_page(client.get(reverse("mfa_view_recovery_codes")))
    recovery_codes = [e.text for e in page.all("code") if e.inside("cf-recovery-codes")]
    assert len(recovery_codes) == 10

    client.post(reverse("account_logout"))
    response = sign_in(client, person.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user(client) is None, "the password alone does not sign you in"
    page = assert_govuk_page(client.get(reverse("mfa_authenticate")))
    assert page.h1 == "Enter your authenticator code"

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert_error_page(response, "Incorrect code")
    assert signed_in_user(client) is None

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert signed_in_user(client) == person

    client.post(reverse("account_logout"))
    sign_in(client, person.email)
    response = client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
    assert response.status_code == 302, "a recovery code works instead"
    assert signed_in_user(client) == person


@pytest.mark.django_db
def test_cancelling_the_second_step_signs_nobody_in(client, person):
    client.force_login(person)
    reauthenticate(client)
    turn_on_totp(client)
    client.post(reverse("account_logout"))
    sign_in(client, person.email)
    response = client.post(reverse("account_logout"), {"next": reverse("account_login")})
    assert response["Location"] == reverse("account_login")
    assert client.get(reverse("mfa_authenticate")).status_code == 302
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_recovery_codes_and_turning_totp_off(signed_in, person):
    client = signed_in
    reauthenticate(client)
    turn_on_totp(client)
    for url_name, heading in [
        ("mfa_index", "Two-factor authentication"),
        ("mfa_view_recovery_codes", "Your recovery codes"),
        ("mfa_generate_recovery_codes", "Get new recovery codes"),
        ("mfa_deactivate_totp", "Turn off your authenticator app"),
        ("mfa_reauthenticate", "Confirm it is you"),
        ("account_reauthenticate", "Confirm it is you"),
    ]:
        assert assert_govuk_page(client.get(reverse(url_name))).h1 == heading, url_name

    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")
    first_line, *rest = download.content.decode().splitlines()
    assert first_line.startswith("Your civicflow recovery codes.")
    old_codes = [line for line in rest if line.strip()]
    assert len(old_codes) == 10

    assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    new_codes = client.get(reverse("mfa_download_recovery_codes")).content.decode()
    assert not set(old_codes) & set(new_codes.splitlines())

    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    client.post(reverse("account_logout"))
    assert sign_in(client, person.email)["Location"] != reverse("mfa_authenticate")
    assert signed_in_user(client) == person


# Every other page -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_reset_password_from_key_done", "Your password has been changed"),
        ("account_email_verification_sent", "Check your email"),
        ("account_inactive", "Your account is not active"),
    ],
)
def test_page_for_people_not_signed_in(client, url_name, heading):
    page = assert_govuk_page(client.get(reverse(url_name)))
    assert page.h1 == heading
    assert page.title == f"{heading} – civicflow"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading", "has_breadcrumbs"),
    [
        ("account_logout", "Sign out", True),
        ("account_email", "Email addresses", True),
        ("account_change_password", "Change your password", True),
        ("mfa_index", "Two-factor authentication", True),
        ("account_reauthenticate", "Confirm it is you", False),
    ],
)
def test_page_for_people_signed_in(signed_in, url_name, heading, has_breadcrumbs):
    page = assert_govuk_page(signed_in.get(reverse(url_name)))
    assert page.h1 == heading
    assert bool(page.with_class("govuk-breadcrumbs")) == has_breadcrumbs


@pytest.mark.django_db
def test_notification_emails_read_as_civicflow(signed_in, django_capture_on_commit_callbacks):
    from django.test import override_settings

    with (
        override_settings(ACCOUNT_EMAIL_NOTIFICATIONS=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        signed_in.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    message = mail.outbox[-1]
    assert message.subject == "civicflow: Your password has been changed"
    assert "The password for your account has been changed." in message.body
    assert "from IP address 127.0.0.1" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
