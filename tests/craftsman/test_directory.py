"""工匠风采: the public directory (filters, search, pagination) and the profile pages."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model

from craftsman import revocation
from craftsman.directory import PROFILES_PER_PAGE, cultivation_summary
from craftsman.models import (
    Craftsman,
    CraftsmanIndexPage,
    CraftsmanProfilePage,
    CultivationRecord,
    Industry,
    Revocation,
)

DIRECTORY = "/craftsmen/"


@pytest.fixture
def section(demo):
    return CraftsmanIndexPage.objects.get()


def holder(name):
    return Craftsman.objects.select_related("submission", "profile_page").get(submission__name=name)


def names_on(html):
    return re.findall(r'<span class="profile-name">([^<]+)</span>', html)


def add_profiles(section, count, year=2023, occupation="焊工"):
    for number in range(count):
        section.add_child(
            instance=CraftsmanProfilePage(
                title=f"测试工匠{number:02d}",
                slug=f"test-{year}-{number}",
                title_year=year,
                occupation=occupation,
                speciality="氩弧焊",
            )
        )


def test_directory_lists_the_public_profiles_with_a_count(client, section):
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    html = response.content.decode()
    public = CraftsmanProfilePage.objects.live().exclude(title="黄光辉").count()
    assert f"共 {public} 位工匠" in html
    assert "王建国" in names_on(html)
    assert '<form class="notice-filter directory-filter no-print" method="get"' in html


def test_a_revoked_title_never_appears(client, section):
    """The demo's revoked title (黄光辉) is unpublished by the revocation itself."""
    revoked = holder("黄光辉")
    assert revoked.status == Craftsman.Status.REVOKED
    assert not revoked.profile_page.live
    assert "黄光辉" not in client.get(DIRECTORY).content.decode()
    assert client.get(revoked.profile_page.url).status_code == 404


def test_revoking_a_title_takes_the_profile_out_of_the_directory(client, section):
    """The real flow: a case opened by one bureau member, verified by another."""
    users = get_user_model().objects
    craftsman = holder("刘美玲")
    url = craftsman.profile_page.url
    assert "刘美玲" in names_on(client.get(DIRECTORY).content.decode())
    assert client.get(url).status_code == 200

    case = revocation.open_case(
        craftsman, Revocation.Reason.RELOCATED, "已调离赣州。", users.get(username="bureau")
    )
    revocation.verify(case, users.get(username="bureau2"))

    assert "刘美玲" not in client.get(DIRECTORY).content.decode()
    assert client.get(url).status_code == 404


def test_a_revoked_profile_republished_by_mistake_stays_hidden(client, section):
    revoked = holder("黄光辉")
    revoked.profile_page.save_revision().publish()
    assert CraftsmanProfilePage.objects.get(pk=revoked.profile_page_id).live
    assert "黄光辉" not in client.get(DIRECTORY).content.decode()
    assert client.get(revoked.profile_page.url).status_code == 404


def test_filter_by_county_of_the_workplace(client, section):
    """The county is where the title holder works (``Submission.work_area``, GB/T 2260)."""
    html = client.get(DIRECTORY, {"county": "360702"}).content.decode()
    assert names_on(html) == ["王建国"]
    assert "共 1 位工匠符合条件" in html
    assert '<option value="360702" selected>章贡区</option>' in html
    # Only counties that have a public profile are offered; 崇义县's title was revoked.
    assert '<option value="360725"' not in html


def test_filter_by_industry(client, section):
    rare_earth = Industry.objects.get(name="有色金属（稀土、钨）新材料")
    html = client.get(DIRECTORY, {"industry": rare_earth.pk}).content.decode()
    assert sorted(names_on(html)) == sorted(["王建国", "李小军"])


def test_filter_by_year(client, section):
    add_profiles(section, 2, year=2023)
    html = client.get(DIRECTORY, {"year": 2023}).content.decode()
    assert names_on(html) == ["测试工匠00", "测试工匠01"]
    assert '<option value="2023" selected>2023年度</option>' in html


def test_search_by_name_occupation_or_speciality(client, section):
    add_profiles(section, 1)
    section.add_child(
        instance=CraftsmanProfilePage(title="王建", slug="wang-jian", title_year=2023)
    )
    for term in ["王建", "焊工", "氩弧"]:
        names = names_on(client.get(DIRECTORY, {"q": f"  {term} "}).content.decode())
        assert names, term
        for name in names:
            page = CraftsmanProfilePage.objects.get(title=name)
            assert term in f"{page.title} {page.occupation} {page.speciality}"


def test_nothing_found_shows_a_chinese_empty_state(client, section):
    html = client.get(DIRECTORY, {"q": "查无此人"}).content.decode()
    assert "共 0 位工匠符合条件" in html
    assert "没有找到符合条件的工匠" in html
    assert 'value="查无此人"' in html


BAD_QUERIES = [
    {"year": "abc"},
    {"county": "999999"},
    {"industry": "-1"},
    {"page": "abc"},
    {"page": "-3"},
    {"page": "99999"},
    {"q": "x" * 500},
    {"year": "2024", "county": "", "industry": "", "q": ""},
]


def test_bad_filter_values_are_answered_calmly(client, section):
    for query in BAD_QUERIES:
        response = client.get(DIRECTORY, query)
        assert response.status_code == 200, query
        assert "位工匠" in response.content.decode()


def test_pagination_twelve_a_page_keeping_the_filters(client, section):
    add_profiles(section, 2 * PROFILES_PER_PAGE + 1)
    query = {"q": "测试", "year": 2023}
    first = client.get(DIRECTORY, query).content.decode()
    assert len(names_on(first)) == PROFILES_PER_PAGE
    assert f"共 {2 * PROFILES_PER_PAGE + 1} 位工匠符合条件" in first
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first).group(1)
    params = parse_qs(urlparse(next_link.replace("&amp;", "&")).query)
    assert params == {"q": ["测试"], "year": ["2023"], "page": ["2"]}

    last = client.get(DIRECTORY, {**query, "page": 3}).content.decode()
    assert len(names_on(last)) == 1
    # Past the end: the last page; not a number: the first page.
    assert names_on(client.get(DIRECTORY, {**query, "page": 99}).content.decode()) == names_on(last)
    assert names_on(client.get(DIRECTORY, {**query, "page": "x"}).content.decode()) == names_on(
        first
    )


def test_directory_query_count_is_fixed(client, section, django_assert_max_num_queries):
    add_profiles(section, PROFILES_PER_PAGE)
    client.get(DIRECTORY)  # warm per-process caches (site root, content types)
    with django_assert_max_num_queries(12):
        response = client.get(DIRECTORY)
    assert len(names_on(response.content.decode())) == PROFILES_PER_PAGE
    industry = Industry.objects.get(name="有色金属（稀土、钨）新材料")
    with django_assert_max_num_queries(12):
        response = client.get(
            DIRECTORY, {"county": "360702", "industry": industry.pk, "q": "王", "year": 2024}
        )
    assert names_on(response.content.decode()) == ["王建国"]


def test_profile_page_shows_public_facts_and_a_responsive_photo(client, section):
    craftsman = holder("王建国")
    submission = craftsman.submission
    html = client.get(craftsman.profile_page.url).content.decode()
    assert "2024年度“赣州工匠”" in html
    assert submission.employer in html
    assert submission.occupation in html
    assert "章贡区" in html and "有色金属（稀土、钨）新材料" in html
    assert "培养" in html
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'alt="王建国的照片"' in img
    assert 'loading="lazy"' in img
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert len(re.search(r'srcset="([^"]+)"', img).group(1).split(",")) >= 3
    # Never the ID number, the phone number or the birth date.
    assert submission.id_number not in html
    assert submission.mobile not in html
    assert str(submission.birth_date.year) + "年" + str(submission.birth_date.month) not in html
    assert submission.birth_date.isoformat() not in html


def test_profile_query_count_is_fixed(client, section, django_assert_max_num_queries):
    url = holder("王建国").profile_page.url
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_cultivation_summary_is_public_safe(section):
    craftsman = holder("王建国")
    conferred = craftsman.conferred_on
    in_year_two = datetime.date(conferred.year + 2, 6, 1)
    CultivationRecord.objects.filter(craftsman=craftsman).delete()
    start, ends = craftsman.conferred_on, craftsman.cultivation_ends_on
    period = f"培养期内（{start.year}年{start.month}月{start.day}日至{ends.year}年{ends.month}月{ends.day}日）"
    assert cultivation_summary(craftsman, in_year_two) == f"{period}，第2年年度记录待报送"
    CultivationRecord.objects.create(
        craftsman=craftsman,
        year_index=2,
        due_on=in_year_two,
        status=CultivationRecord.Status.SUBMITTED,
    )
    craftsman = holder("王建国")
    assert cultivation_summary(craftsman, in_year_two) == f"{period}，第2年年度记录已提交"
    after = craftsman.cultivation_ends_on + datetime.timedelta(days=1)
    assert (
        cultivation_summary(craftsman, after)
        == f"培养期满（{ends.year}年{ends.month}月{ends.day}日）"
    )
    assert cultivation_summary(holder("黄光辉")) == ""


def test_a_small_photo_gives_a_srcset_without_repeated_widths(db):
    """A 60×80 photo cannot fill 320 or 480 px: one width each, valid HTML (Nu checker)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from craftsman.templatetags.craftsman_images import photo

    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 80), "#a33").save(buffer, "JPEG")
    image = get_image_model()(title="小照片")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="small.jpg")
    image.save()

    html = str(photo(image, "fill-160x200 fill-320x400 fill-480x600", sizes="45vw", alt="的照片"))
    widths = re.findall(r" (\d+)w", html)
    assert len(widths) == len(set(widths))
    assert 'alt="的照片"' in html and 'loading="lazy"' in html
    assert photo(None, "fill-160x200") == ""
