"""The craftsman plugin's model permissions, granted to the site's role groups.

Run after every ``migrate``: the bureau gets every craftsman permission; unit
staff may view submissions and recommend (always scoped to their own units in
code, ``Submission.objects.for_user``) but not touch reference data.
"""

from django.contrib.auth.models import Permission

from website.roles import ensure_roles, group_for

UNIT_STAFF_PERMISSIONS = [
    "view_submission",
    "recommend_submission",
    "view_submissionattachment",
]

# 评审专家: their own assignments and score sheets only (scoped in code,
# ``ReviewAssignment.objects.for_user`` / ``ScoreSheet.objects.for_user``).
EXPERT_PERMISSIONS = [
    "view_reviewassignment",
    "view_scoresheet",
    "change_scoresheet",
]

# 市财政局: reward records only (listed and marked paid in a dedicated, scoped view).
FINANCE_PERMISSIONS = ["view_reward", "change_reward"]

# 市委人才办、市总工会: the results, read-only.
OBSERVER_PERMISSIONS = ["view_craftsman"]

# 用人单位: their own craftsmen's cultivation records only (scoped in code,
# ``CultivationRecord.objects.for_user``).
EMPLOYER_PERMISSIONS = [
    "view_cultivationrecord",
    "add_cultivationrecord",
    "change_cultivationrecord",
    "view_cultivationattachment",
    "add_cultivationattachment",
]


def grant_permissions():
    ensure_roles()
    craftsman = Permission.objects.filter(content_type__app_label="craftsman")
    group_for("bureau").permissions.add(*craftsman)
    group_for("unit_staff").permissions.add(*craftsman.filter(codename__in=UNIT_STAFF_PERMISSIONS))
    group_for("expert").permissions.add(*craftsman.filter(codename__in=EXPERT_PERMISSIONS))
    group_for("employer").permissions.add(*craftsman.filter(codename__in=EMPLOYER_PERMISSIONS))
    group_for("finance").permissions.add(*craftsman.filter(codename__in=FINANCE_PERMISSIONS))
    group_for("observer").permissions.add(*craftsman.filter(codename__in=OBSERVER_PERMISSIONS))


def grant_after_migrate(sender, using="default", **kwargs):
    # This app's ready() runs before django.contrib.auth's, so our handler would run
    # before auth has created this app's permissions: create them first.
    from django.contrib.auth.management import create_permissions

    create_permissions(sender, verbosity=0, using=using)
    grant_permissions()
