"""Optimistic concurrency (website.concurrency) on the long edit forms: two people open
the same form, the first saves, the second is refused with a clear message and the
first's data stays."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from craftsman.cultivation import get_or_create_record, save_record
from craftsman.models import CultivationRecord, Submission
from craftsman.views.viewsets import SUBMISSION_FORM_FIELDS
from tests.craftsman.conftest import make_user
from tests.craftsman.test_application import person_data, step_url
from tests.craftsman.test_cultivation import craftsmen, employers, fresh, round_2024  # noqa: F401
from website.concurrency import VERSION_FIELD, StaleEdit, check_version, instance_token

pytestmark = pytest.mark.django_db

STALE = "该记录已于"
TOKEN_PATTERN = re.compile(rf'name="{VERSION_FIELD}" value="([^"]+)"')


def token_in(response):
    match = TOKEN_PATTERN.search(response.content.decode())
    assert match, "the form carries no version token"
    return match.group(1)


def logged_in(user, verified=False):
    client = Client()
    if verified:
        from website.security.testing import verified_login

        verified_login(client, user)
    else:
        client.force_login(user)
    return client


# --- the applicant's application form ------------------------------------------------


def test_applicant_form_two_tabs_second_save_is_refused(make_submission, users):
    draft = make_submission(name="王建国")
    first, second = logged_in(users["applicant"]), logged_in(users["applicant"])
    url = step_url(draft, 1)
    first_token = token_in(first.get(url))
    second_token = token_in(second.get(url))
    assert first_token == second_token == instance_token(draft)

    data = person_data(id_number=draft.id_number)
    saved = first.post(
        url, {**data, "name": "王建华", VERSION_FIELD: first_token, "action": "save"}
    )
    assert saved.status_code == 302

    refused = second.post(
        url, {**data, "name": "王建军", VERSION_FIELD: second_token, "action": "save"}
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert STALE in html and "请刷新页面" in html
    draft.refresh_from_db()
    assert draft.name == "王建华"

    # After reloading, the second tab saves normally.
    fresh_token = token_in(second.get(url))
    assert fresh_token != second_token
    again = second.post(
        url, {**data, "name": "王建军", VERSION_FIELD: fresh_token, "action": "save"}
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "王建军"


def test_a_change_by_the_unit_meanwhile_is_not_overwritten(make_submission, users):
    """The unit returns the submission while the applicant has step 3 open."""
    submission = make_submission()
    submission.submit(by=users["applicant"])
    submission.return_for_correction(by=users["zhanggong"], comment="请补充业绩证明。")
    submission.refresh_from_db()
    client = logged_in(users["applicant"])
    url = step_url(submission, 1)
    token = token_in(client.get(url))
    Submission.objects.get(pk=submission.pk).save()  # someone else saves meanwhile
    response = client.post(
        url,
        {**person_data(id_number=submission.id_number), VERSION_FIELD: token, "action": "save"},
    )
    assert response.status_code == 200 and STALE in response.content.decode()
    submission.refresh_from_db()
    assert submission.name == "王建国"


# --- the admin's edit form of a submission --------------------------------------------


def admin_form_data(submission, user):
    """What the admin edit form posts when nothing is changed (its initial values)."""
    from django.forms import modelform_factory
    from wagtail.admin.forms import WagtailAdminModelForm

    form_class = modelform_factory(
        Submission, form=WagtailAdminModelForm, fields=SUBMISSION_FORM_FIELDS
    )
    form = form_class(instance=submission, for_user=user)
    data = {}
    for name in SUBMISSION_FORM_FIELDS:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_admin_edit_second_save_is_refused_naming_who(make_submission, users):
    submission = make_submission(name="王建国")
    submission.submit(by=users["applicant"])
    url = reverse("craftsman_submissions:edit", args=[submission.pk])
    bureau = logged_in(users["bureau"], verified=True)
    colleague = logged_in(make_user("t_bureau_colleague", "bureau"), verified=True)
    bureau_token = token_in(bureau.get(url))
    colleague_token = token_in(colleague.get(url))
    data = admin_form_data(Submission.objects.get(pk=submission.pk), users["bureau"])

    saved = bureau.post(
        url, {**data, "employer": "赣州稀金科技股份有限公司", VERSION_FIELD: bureau_token}
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    refused = colleague.post(
        url, {**data, "employer": "另一家公司", VERSION_FIELD: colleague_token}
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert STALE in html and users["bureau"].username in html
    submission.refresh_from_db()
    assert submission.employer == "赣州稀金科技股份有限公司"


def test_the_locked_check_inside_save_refuses_too(make_submission):
    """Between clean() and save() another save slips in: save() still refuses."""
    submission = make_submission()
    token = instance_token(submission)
    Submission.objects.get(pk=submission.pk).save()
    with pytest.raises(StaleEdit):
        check_version(submission, token, lock=True)
    check_version(submission, "", lock=True)  # no token: not checked


# --- the employer's cultivation record ------------------------------------------------


def test_cultivation_record_second_save_is_refused(craftsmen, employers):  # noqa: F811
    employer = employers["xijin"]
    record = get_or_create_record(craftsmen["xijin"], 1, by=employer)
    record = save_record(record, {"training": "研修班", "apprentice_count": 1}, fresh(employer))
    url = reverse("craftsman_cultivation:edit", args=[craftsmen["xijin"].pk, 1])
    first = logged_in(employer, verified=True)
    second = logged_in(employer, verified=True)
    first_token, second_token = token_in(first.get(url)), token_in(second.get(url))
    fields = {"apprentice_count": "1", "action": "save"}

    saved = first.post(url, {**fields, "training": "第一位的填写", VERSION_FIELD: first_token})
    assert saved.status_code == 302
    refused = second.post(url, {**fields, "training": "第二位的填写", VERSION_FIELD: second_token})
    assert refused.status_code == 200
    assert STALE in refused.content.decode()
    record = CultivationRecord.objects.get(pk=record.pk)
    assert record.training == "第一位的填写"


def test_cultivation_save_record_checks_under_the_lock(craftsmen, employers):  # noqa: F811
    employer = fresh(employers["xijin"])
    record = get_or_create_record(craftsmen["xijin"], 1, by=employer)
    token = instance_token(record)
    save_record(record, {"training": "先保存的"}, employer)
    with pytest.raises(StaleEdit):
        save_record(record, {"training": "后保存的", VERSION_FIELD: token}, employer)
    assert CultivationRecord.objects.get(pk=record.pk).training == "先保存的"
