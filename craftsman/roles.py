"""Who a user is towards submissions: bureau, unit staff of some units, or nobody.

One place for the questions every view, export, download and count asks.
Unit memberships are cached on the user object for the request.
"""

from website.roles import ROLES_BY_KEY

BUREAU = "bureau"
UNIT = "unit"
APPLICANT = "applicant"

ROLE_LABELS = {BUREAU: "市人社局", UNIT: "推荐单位", APPLICANT: "申报人"}


def is_staff_account(user):
    """An account that reaches the admin (any staff role, a superuser).  It does not apply
    online: its holder signs up for an applicant account of their own, so that an
    application never carries a unit's or the bureau's powers with it."""
    return user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def is_bureau(user):
    """Superusers, the 市人社局 group, or anyone holding ``craftsman.view_all_submissions``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("craftsman.view_all_submissions"):
        return True
    return ROLES_BY_KEY["bureau"].name in _group_names(user)


def unit_ids_for(user):
    """The ids of the recommending units the user works for (cached on the user)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_craftsman_unit_ids", None)
    if cached is None:
        cached = frozenset(user.craftsman_memberships.values_list("unit_id", flat=True))
        user._craftsman_unit_ids = cached
    return cached


def roles_for(user, submission):
    """The roles ``user`` holds towards ``submission`` (a set of BUREAU / UNIT / APPLICANT)."""
    roles = set()
    if user is None or not user.is_authenticated or not user.is_active:
        return roles
    if is_bureau(user):
        roles.add(BUREAU)
    if (
        submission.recommending_unit_id
        and submission.recommending_unit_id in unit_ids_for(user)
        and user.has_perm("craftsman.recommend_submission")
    ):
        roles.add(UNIT)
    if submission.applicant_id and submission.applicant_id == user.pk:
        roles.add(APPLICANT)
    return roles


def _group_names(user):
    """The names of the user's groups, cached on the user for the request like the unit ids."""
    names = getattr(user, "_craftsman_group_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._craftsman_group_names = names
    return names


def _in_role(user, key):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return ROLES_BY_KEY[key].name in _group_names(user)


def is_finance(user):
    """市财政局 (art. 4): reward records only; superusers too."""
    return _in_role(user, "finance")


def is_observer(user):
    """市委人才办、市总工会 (art. 4): results and statistics, read-only; superusers too."""
    return _in_role(user, "observer")
