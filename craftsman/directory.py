"""工匠风采 on the public site: the directory's filters, its one queryset, the profile's
public facts, and the home page's featured craftsmen.

Everything here reads only what may be published: a profile page's own fields plus the
title holder's county, industry and a one-line cultivation summary.  ID number, phone
number and birth date stay on the submission and are never selected here.

A profile is public when its page is live, has no view restriction, and its title holder
(if any) is not revoked.  Revocation unpublishes the page (``craftsman.revocation.verify``);
the revoked check here also keeps out a page that an editor republished by mistake.
"""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from craftsman.cultivation import public_status
from craftsman.models import (
    Craftsman,
    CraftsmanIndexPage,
    CraftsmanProfilePage,
    CultivationRecord,
    RecommendingUnit,
)
from craftsman.models.conferral import CULTIVATION_YEARS
from craftsman.models.submissions import WORK_AREA_CHOICES

PROFILES_PER_PAGE = 12
SEARCH_MAX_LENGTH = 50


def revoked_profile_ids():
    return Craftsman.objects.filter(
        status=Craftsman.Status.REVOKED, profile_page__isnull=False
    ).values("profile_page_id")


def public_profiles():
    """Live, unrestricted profiles whose title has not been revoked."""
    return (
        CraftsmanProfilePage.objects.live()
        .filter(view_restrictions=None)
        .exclude(pk__in=revoked_profile_ids())
    )


def with_photos(profiles):
    """Join the photo and prefetch its renditions: one extra query for a whole page."""
    return profiles.select_related("photo").prefetch_related("photo__renditions")


class DirectoryFilterForm(forms.Form):
    """The directory's GET filters.  An invalid value is dropped, never an error page.

    The choices are the facets of the directory: only years, counties and industries
    that some public profile has, so every option leads to at least one craftsman.
    """

    q = forms.CharField(label=_("姓名或技能"), required=False, max_length=SEARCH_MAX_LENGTH)
    year = forms.TypedChoiceField(label=_("称号年度"), required=False, coerce=int)
    county = forms.ChoiceField(label=_("所在县（市、区）"), required=False)
    industry = forms.TypedChoiceField(label=_("所属产业"), required=False, coerce=int)

    FIELDS = ("q", "year", "county", "industry")

    def __init__(self, data, facets):
        super().__init__(data)
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (year, f"{year}年度") for year in facets.years
        ]
        self.fields["county"].choices = [("", _("全部县（市、区）")), *facets.counties]
        self.fields["industry"].choices = [("", _("全部产业")), *facets.industries]

    def selection(self):
        """The valid, non-empty filter values, field by field (one bad value spoils no other)."""
        self.is_valid()
        selection = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if name == "q" and value:
                value = " ".join(value.split())
            if value not in ("", None):
                selection[name] = value
        return selection


class Facets:
    """Years, counties and industries of a set of profiles, counted in one query.

    Each row is (title year, county code, industry id, industry name, whether the profile
    matches the search, number of profiles).  The choices of one dimension are taken from
    the rows that match the other dimensions' selection, and the total from the rows
    matching all of them, so the directory needs no separate COUNT query.

    The rows are counted from the title holders' side (a join to their submission), and
    the profiles without a holder (pages an editor made by hand) are added with UNION ALL:
    one query either way, and a join instead of three correlated subqueries per profile,
    which is what kept the directory's time growing with the number of craftsmen.
    """

    def __init__(self, profiles, term=""):
        holders = Craftsman.objects.filter(profile_page__in=profiles)
        with_holder = (
            holders.annotate(matched=_matched(term, "profile_page__"))
            .values_list(
                "profile_page__title_year",
                "submission__work_area",
                "submission__industry_id",
                "submission__industry__name",
                "matched",
            )
            .annotate(number=Count("profile_page_id", distinct=True))
            .order_by()
        )
        nothing = Value(None, output_field=CharField())
        without_holder = (
            profiles.exclude(
                pk__in=Craftsman.objects.filter(profile_page__isnull=False).values(
                    "profile_page_id"
                )
            )
            .annotate(
                no_county=nothing,
                no_industry=Value(None, output_field=IntegerField()),
                no_industry_name=nothing,
                matched=_matched(term),
            )
            .values_list("title_year", "no_county", "no_industry", "no_industry_name", "matched")
            .annotate(number=Count("pk"))
            .order_by()
        )
        self.rows = list(with_holder.union(without_holder, all=True))
        self.selection = {}

    def _rows(self, ignore=None, matched_only=False):
        wanted = {k: v for k, v in self.selection.items() if k in ("year", "county", "industry")}
        wanted.pop(ignore, None)
        for year, county, industry, name, matched, number in self.rows:
            row = {"year": year, "county": county, "industry": industry}
            if matched_only and not matched:
                continue
            if all(row[key] == value for key, value in wanted.items()):
                yield year, county, industry, name, number

    def select(self, selection):
        self.selection = selection

    @property
    def years(self):
        return sorted({row[0] for row in self._rows("year")}, reverse=True)

    @property
    def counties(self):
        present = {row[1] for row in self._rows("county")}
        return [
            (code, name)
            for code, name in WORK_AREA_CHOICES
            if code in present and code != "outside"
        ]

    @property
    def industries(self):
        present = {(row[2], row[3]) for row in self._rows("industry") if row[2] is not None}
        return sorted(present, key=lambda item: item[1])

    @property
    def total(self):
        return sum(row[4] for row in self._rows(matched_only=True))


def filter_profiles(profiles, selection):
    """Apply the county and search parts of a selection in SQL (years and industries too)."""
    if "year" in selection:
        profiles = profiles.filter(title_year=selection["year"])
    holders = Craftsman.objects.filter(profile_page_id=OuterRef("pk"))
    if "county" in selection:
        profiles = profiles.filter(
            Exists(holders.filter(submission__work_area=selection["county"]))
        )
    if "industry" in selection:
        profiles = profiles.filter(
            Exists(holders.filter(submission__industry_id=selection["industry"]))
        )
    return search_profiles(profiles, selection.get("q"))


def search_q(term, prefix=""):
    """Name, occupation or speciality contains ``term`` (a plain substring match).

    ``prefix`` reaches the profile through a relation (``"profile_page__"`` from a holder).
    """
    return (
        Q(**{f"{prefix}title__icontains": term})
        | Q(**{f"{prefix}occupation__icontains": term})
        | Q(**{f"{prefix}speciality__icontains": term})
    )


def _matched(term, prefix=""):
    """Whether a row's profile matches the search, as a boolean column."""
    if not term:
        return Value(True)
    return Case(When(search_q(term, prefix), then=Value(True)), default=Value(False))


def search_profiles(profiles, term):
    return profiles.filter(search_q(term)) if term else profiles


class CountedPaginator(Paginator):
    """A paginator told the total in advance (the facets counted it)."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def directory_context(index_page, request):
    """What the 工匠风采 template shows: form, selection, one page of profiles, page links.

    Three queries of its own: the facets (with the total), the page of profiles with
    their photos, and the photos' renditions.
    """
    section = public_profiles().child_of(index_page)
    facets = Facets(section, _search_term(request))
    form = DirectoryFilterForm(request.GET, facets)
    selection = form.selection()
    facets.select(selection)
    profiles = with_photos(filter_profiles(section, selection)).order_by(
        "-title_year", "title", "pk"
    )
    paginator = CountedPaginator(profiles, PROFILES_PER_PAGE, facets.total)
    page_obj = paginator.get_page(request.GET.get("page"))
    base = index_page.get_url(request) or ""

    def page_url(number):
        query = {**selection, "page": number} if number > 1 else dict(selection)
        return f"{base}?{urlencode(query)}" if query else base

    return {
        "filter_form": form,
        "selection": selection,
        "profiles": page_obj,
        "page_links": {
            "previous": page_url(page_obj.previous_page_number())
            if page_obj.has_previous()
            else "",
            "next": page_url(page_obj.next_page_number()) if page_obj.has_next() else "",
        },
    }


def _search_term(request):
    field = DirectoryFilterForm.base_fields["q"]
    try:
        term = field.clean(request.GET.get("q", ""))
    except forms.ValidationError:
        return ""
    return " ".join(term.split())


# --- one profile --------------------------------------------------------------


def title_holders(profile_ids):
    """``{profile page id: Craftsman}`` for the title holders behind these profile pages,
    each with county, industry and the status of each year's cultivation record
    (``record_1_status`` …), in one query whatever the number of pages."""
    records = CultivationRecord.objects.filter(craftsman_id=OuterRef("pk"))
    holders = (
        Craftsman.objects.filter(profile_page_id__in=profile_ids)
        .select_related(
            "submission__industry", "submission__recommending_unit", "profile_page__photo"
        )
        .annotate(
            **{
                f"record_{n}_status": Subquery(records.filter(year_index=n).values("status")[:1])
                for n in range(1, CULTIVATION_YEARS + 1)
            }
        )
    )
    found = {}
    for holder in holders:  # in Craftsman's order: should two name one page, the first wins
        found.setdefault(holder.profile_page_id, holder)
    return found


def title_holder(profile):
    """The :class:`Craftsman` behind a profile page (see :func:`title_holders`), or None.

    A listing that already looked the holders up for its pages left each on its page.
    """
    if "_title_holder" in profile.__dict__:
        return profile._title_holder
    return title_holders([profile.pk]).get(profile.pk)


def attach_title_holders(profiles):
    """Look up the title holders of these profile pages at once and leave each on its
    page, for :func:`title_holder` (the API's listing: no query per page)."""
    if not profiles:
        return
    holders = title_holders([page.pk for page in profiles])
    for page in profiles:
        page._title_holder = holders.get(page.pk)


def county_name(submission):
    """The county shown on a profile: the work area's name, else the county unit's area."""
    if submission.work_area and submission.work_area != "outside":
        return submission.get_work_area_display()
    unit = submission.recommending_unit
    if unit is not None and unit.kind == RecommendingUnit.Kind.COUNTY:
        return unit.area or unit.name
    return ""


RECORD_STATES = {
    CultivationRecord.Status.SUBMITTED: "年度记录已提交",
    CultivationRecord.Status.CONFIRMED: "年度记录已确认",
}


def cultivation_summary(craftsman, today=None):
    """The public 培养情况 line: the period (:func:`craftsman.cultivation.public_status`) and,
    during it, the state of the current year's record, e.g.
    “培养期内（2024年12月17日至2027年12月16日），第2年年度记录已提交”.  '' for a revoked title.

    Year *n* covers calendar year conferral year + *n* (see ``craftsman.models.cultivation``);
    the year of conferral itself counts as the first year for the public.
    """
    period = public_status(craftsman)
    if not period:
        return ""
    today = today or timezone.localdate()
    ends = craftsman.cultivation_ends_on
    if craftsman.status == Craftsman.Status.COMPLETED or today > ends:
        return f"培养期满（{ends.year}年{ends.month}月{ends.day}日）"
    year_index = min(max(today.year - craftsman.conferred_on.year, 1), CULTIVATION_YEARS)
    state = RECORD_STATES.get(_record_status(craftsman, year_index), "年度记录待报送")
    return f"{period}，第{year_index}年{state}"


def _record_status(craftsman, year_index):
    """The status of one year's record: annotated by :func:`title_holder`, else queried."""
    name = f"record_{year_index}_status"
    if hasattr(craftsman, name):
        return getattr(craftsman, name)
    record = craftsman.cultivation_records.filter(year_index=year_index).first()
    return record.status if record else None


def profile_context(profile, craftsman):
    submission = craftsman.submission if craftsman else None
    return {
        "craftsman": craftsman,
        "county": county_name(submission) if submission else "",
        "industry": submission.industry if submission else None,
        "cultivation": cultivation_summary(craftsman),
    }


# --- the home page --------------------------------------------------------------

FEATURED_COUNT = 4


def _section(request):
    """The live 工匠风采 section, looked up once per request (featured panel, quick links)."""
    if not hasattr(request, "_craftsman_section"):
        request._craftsman_section = CraftsmanIndexPage.objects.live().first()
    return request._craftsman_section


def featured_panel(request, page):
    """``home_page_panels``: a few recent title holders with photos, and the directory link."""
    section = _section(request)
    if section is None:
        return None
    profiles = list(
        with_photos(public_profiles())
        .child_of(section)
        .filter(photo__isnull=False)
        .order_by("-title_year", "-pk")[:FEATURED_COUNT]  # newest year, latest conferred
    )
    if not profiles:
        return None
    return {
        "template": "craftsman/includes/home_featured_panel.html",
        "section": section,
        "profiles": profiles,
    }


def quick_links(request, page):
    """``home_quick_links``: 工匠风采 and 在线申报."""
    from django.urls import reverse

    links = []
    section = _section(request)
    if section is not None:
        links.append({"title": _("工匠风采"), "url": section.get_url(request), "order": 40})
    links.append({"title": _("在线申报"), "url": reverse("apply:dashboard"), "order": 50})
    return links
