"""``seed_scale`` builds a sound page tree on every database, and a second run adds nothing."""

from django.core.management import call_command
from wagtail.models import Page

from publications.models import NoticePage, PublicityEntry, PublicityNoticePage
from publications.scale import ENTRIES_PER_PUBLICITY, NOTICES_PER_FACTOR


def _seed(factor):
    call_command("seed_scale", factor=factor, stdout=open("/dev/null", "w"))


def test_scale_pages_form_a_sound_tree_with_every_table_row_linked(demo_module, db):
    _seed(1)
    assert all(not problems for problems in Page.find_problems())

    scale_pages = Page.objects.filter(slug__startswith="scale-")
    notices = NoticePage.objects.filter(slug__startswith="scale-")
    publicity = PublicityNoticePage.objects.filter(slug__startswith="scale-")
    assert notices.count() == NOTICES_PER_FACTOR
    # Each level of a publicity list (Page → NoticePage → PublicityNoticePage) has its row
    # under the same key: the bulk insert once left the middle one numbered by SQLite itself.
    notice_ids = set(notices.values_list("pk", flat=True))
    assert notice_ids <= set(scale_pages.values_list("pk", flat=True))
    assert set(publicity.values_list("pk", flat=True)) <= notice_ids
    for page in publicity:
        assert page.page_ptr_id == page.noticepage_ptr_id == page.pk
        assert page.specific_class is PublicityNoticePage
        assert PublicityEntry.objects.filter(page=page).count() == ENTRIES_PER_PUBLICITY


def test_a_second_run_with_the_same_factor_adds_nothing(demo_module, db):
    _seed(1)
    pages = Page.objects.count()
    _seed(1)
    assert Page.objects.count() == pages
