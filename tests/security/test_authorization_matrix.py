"""Who may open what: every admin URL of the plugins and every applicant URL, for every role.

The expected statuses are the table ``MATRIX`` below: one row per URL name, one column
per role.  A cell is either one status (URLs without a record, or records nobody owns,
such as reference data) or ``own/other``: the status for the role's own record and for
another's.  "Own" means, by kind of record:

- submission (and its attachments, PDF, steps): record A is 申报 sq2026101 to 章贡区,
  given to ``applicant1``; record B is 申报 sq2026104 to 瑞金市 (its applicant is
  ``applicant2`` here).  ``zhanggong`` and ``applicant1`` own A, ``ruijin`` and
  ``applicant2`` own B.
- review assignment (score sheet): A is one of ``expert1``'s, B one of ``expert2``'s.
- craftsman / cultivation record / attachment: A is a craftsman of ``employer1``'s
  company, B another company's.
- every other role: A is "own" by convention (the bureau sees both anyway).

Cells: ``200`` allowed; ``login`` a redirect to the admin's or the applicant's login
page; ``deny`` Wagtail's refusal (a redirect to the admin dashboard with "没有权限");
``302`` any other redirect (a finished action, or a submission that can no longer be
edited going to its status page); ``403`` refused; ``404`` "no such record for you"
(scoped querysets); ``405`` a POST-only URL opened with GET.  Rows whose name ends in
``POST`` send a POST (run last, in table order: they may change the records).  Apart
from the bureau, which sees every record, no role may get ``200`` or ``302`` for
another's record: ``test_no_role_reaches_another_record`` checks the table itself.

``test_every_plugin_url_is_in_the_matrix`` fails when a plugin registers an admin or
applicant URL that is missing here, so that a new view gets a row before it ships.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

# --- the table ----------------------------------------------------------------------

ROLES = [
    "anon",
    "bureau",
    "editor",
    "reviewer",
    "zhanggong",
    "ruijin",
    "expert1",
    "expert2",
    "employer",
    "finance",
    "observer",
    "auditor",
    "applicant1",
    "applicant2",
]

MATRIX = """
url                                   | anon        | bureau    | editor    | reviewer  | zhanggong | ruijin    | expert1   | expert2   | employer  | finance   | observer  | auditor   | applicant1  | applicant2
publications_objection_evidence       | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_paper_entry                 | login       | 200       | deny      | deny      | 200       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_review:rounds               | login       | 200       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | login       | login
craftsman_review:assignments          | login       | 200       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | login       | login
craftsman_review:ranking              | login       | 200       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | login       | login
craftsman_review:my_tasks             | login       | 200       | 200       | 200       | 200       | 200       | 200       | 200       | 200       | 200       | 200       | 200       | login       | login
craftsman_review:sheet                | login/login | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 200/404   | 200/404   | 404/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_conferral:rounds            | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_conferral:round             | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_conferral:certificate       | login/login | 200/200   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_certificates:request        | login       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | login       | login
craftsman_certificates:progress       | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_certificates:progress_json  | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_certificates:download       | login       | 404       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_revocation:cases            | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_revocation:case             | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_revocation:evidence         | login       | 200       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | login       | login
craftsman_revocation:benefits         | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_revocation:rewards          | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | 200       | deny      | deny      | login       | login
craftsman_revocation:results          | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | 200       | deny      | login       | login
craftsman_cultivation:mine            | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | 200       | deny      | deny      | deny      | login       | login
craftsman_cultivation:edit            | login/login | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | 200/404   | deny/deny | deny/deny | deny/deny | login/login | login/login
craftsman_cultivation:record          | login/login | 200/200   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 200/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_cultivation:attachment      | login/login | 200/200   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 200/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_cultivation:overview        | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_cultivation:export          | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:index                      | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:index_results              | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:add                        | login       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:edit                       | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:delete                     | login       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:history                    | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:history_results            | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:usage                      | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
objections:inspect                    | login       | 200       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | 404       | login       | login
holiday_overrides:index               | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_overrides:index_results       | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_overrides:add                 | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_overrides:edit                | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_overrides:delete              | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_overrides:history             | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_overrides:history_results     | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_overrides:usage               | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_years:index                   | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_years:index_results           | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_years:add                     | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_years:edit                    | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_years:delete                  | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_years:history                 | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_years:history_results         | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
holiday_years:usage                   | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_submissions:index           | login       | 200       | deny      | deny      | 200       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_submissions:index_results   | login       | 200       | deny      | deny      | 200       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_submissions:add             | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_submissions:edit            | login/login | 200/200   | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | login/login | login/login
craftsman_submissions:delete          | login/login | 200/200   | 404/404   | 404/404   | deny/404  | deny/404  | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_submissions:history         | login/login | 200/200   | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | login/login | login/login
craftsman_submissions:history_results | login/login | 200/200   | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | login/login | login/login
craftsman_submissions:usage           | login/login | 200/200   | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | login/login | login/login
craftsman_submissions:inspect         | login/login | 200/200   | 404/404   | 404/404   | 200/404   | 200/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_submissions:action          | login/login | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | login/login | login/login
craftsman_submissions:attachment      | login/login | 200/200   | 404/404   | 404/404   | 200/404   | 200/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_submissions:reveal          | login/login | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | login/login | login/login
craftsman_submissions:pdf             | login/login | 200/200   | 404/404   | 404/404   | 200/404   | 200/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_rounds:index                | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_rounds:index_results        | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_rounds:add                  | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_rounds:edit                 | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_rounds:delete               | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_rounds:history              | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_rounds:history_results      | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_rounds:usage                | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_units:index                 | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_units:index_results         | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_units:add                   | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_units:edit                  | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_units:delete                | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_units:history               | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_units:history_results       | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_units:usage                 | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_industries:index            | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_industries:index_results    | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_industries:add              | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_industries:edit             | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_industries:delete           | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_industries:history          | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_industries:history_results  | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_industries:usage            | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_memberships:index           | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_memberships:index_results   | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_memberships:add             | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_memberships:edit            | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_memberships:delete          | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_memberships:history         | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_memberships:history_results | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_memberships:usage           | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_experts:index               | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_experts:index_results       | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_experts:add                 | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_experts:edit                | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_experts:delete              | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_experts:history             | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_experts:history_results     | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_experts:usage               | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_criteria:index              | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_criteria:index_results      | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_criteria:add                | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_criteria:edit               | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_criteria:delete             | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_criteria:history            | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_criteria:history_results    | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_criteria:usage              | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_panels:index                | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_panels:index_results        | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_panels:add                  | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_panels:edit                 | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_panels:delete               | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_panels:history              | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_panels:history_results      | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
craftsman_panels:usage                | login       | 200       | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | deny      | login       | login
apply:dashboard                       | login       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 200         | 200
apply:register                        | 200         | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302         | 302
apply:login                           | 200         | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302       | 302         | 302
apply:logout                          | 405         | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405       | 405         | 405
apply:new                             | login       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 403       | 302         | 302
apply:status                          | login/login | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 200/404     | 200/404
apply:step                            | login/login | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 302/404     | 302/404
apply:withdraw                        | 405/405     | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405     | 405/405
apply:attachment                      | login/login | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 200/404     | 200/404
apply:delete_attachment               | 405/405     | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405   | 405/405     | 405/405
craftsman_submissions:action POST     | login/login | 302/302   | 404/404   | 404/404   | 302/404   | 302/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
craftsman_submissions:reveal POST     | login/login | 200/200   | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | login/login | login/login
craftsman_submissions:edit POST       | login/login | 200/200   | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | login/login | login/login
craftsman_cultivation:edit POST       | login/login | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | deny/deny | 200/404   | deny/deny | deny/deny | deny/deny | login/login | login/login
apply:withdraw POST                   | login/login | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 302/404     | 302/404
apply:delete_attachment POST          | login/login | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 403/403   | 302/404     | 302/404
craftsman_submissions:delete POST     | login/login | 302/302   | 404/404   | 404/404   | deny/404  | deny/404  | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | 404/404   | login/login | login/login
"""


PLUGINS = ("craftsman", "publications")


def outcome(response):
    """The cell value of a response: "login", "deny", or the status code."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(("/admin/login/", "/apply/login/")):
            return "login"
        if location == "/admin/":  # Wagtail's refusal: back to the dashboard, "没有权限"
            return "deny"
    return str(response.status_code)


def parse_matrix(text):
    """``[(url_name, role, scope, expected_status), ...]`` from the table."""
    rows = []
    lines = [line for line in text.strip().splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].split("|")]
    assert header[1:] == ROLES, header
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.split("|")]
        url_name, statuses = cells[0], cells[1:]
        assert len(statuses) == len(ROLES), line
        for role, cell in zip(ROLES, statuses, strict=True):
            if "/" in cell:
                own, other = cell.split("/")
                rows.append((url_name, role, "own", own))
                rows.append((url_name, role, "other", other))
            else:
                rows.append((url_name, role, "-", cell))
    return rows


# --- which URLs the plugins register ---------------------------------------------------


def _plugin_view(pattern):
    """Whether a URL pattern's view belongs to a plugin (its module, or its model's app)."""
    callback = pattern.callback
    module = getattr(callback, "__module__", "") or ""
    if module.split(".")[0] in PLUGINS:
        return True
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    label = getattr(getattr(model, "_meta", None), "app_label", None)
    return label in PLUGINS


def plugin_url_names():
    """Names of every admin and applicant URL that a plugin registers (from the resolver)."""
    by_namespace = {}

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                walk(pattern, route, f"{namespace}:{inner}" if namespace and inner else inner)
            elif pattern.name and route.startswith(("admin/", "apply/")):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                by_namespace.setdefault(namespace, []).append((name, _plugin_view(pattern)))

    walk(get_resolver(), "", None)
    names = set()
    for namespace, entries in by_namespace.items():
        if namespace is None:  # top-level admin URLs: only the plugins' own views
            names.update(name for name, plugin in entries if plugin)
        elif any(plugin for _name, plugin in entries):  # a plugin's viewset or include
            names.update(name for name, _plugin in entries)
    return names


def test_every_plugin_url_is_in_the_matrix():
    in_matrix = {_split(row[0])[0] for row in parse_matrix(MATRIX)}
    registered = plugin_url_names()
    assert registered - in_matrix == set(), "add rows to MATRIX for these URLs"
    assert in_matrix - registered == set(), "MATRIX names URLs that no longer exist"


def test_no_role_reaches_another_record():
    """The table itself: nobody but the bureau opens or acts on another's record."""
    leaks = [
        row
        for row in parse_matrix(MATRIX)
        if row[2] == "other" and row[1] != "bureau" and row[3] in ("200", "302")
    ]
    assert leaks == []


# --- the demo data and the records of each role ---------------------------------------


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo content, seeded once for the module inside a transaction rolled back at
    the end (each test still runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=open("/dev/null", "w"))
        records = _records()
        yield records
        transaction.set_rollback(True)


def _records():
    from craftsman.models import (
        CertificateBatch,
        CultivationAttachment,
        CultivationRecord,
        EmployerAccount,
        ReviewAssignment,
        Revocation,
        RevocationEvidence,
        ScoringCriterion,
        SelectionRound,
        Submission,
        SubmissionAttachment,
    )
    from publications.models import (
        HolidayCalendarYear,
        HolidayOverride,
        Objection,
        ObjectionEvidence,
    )
    from website.roles import group_for

    User = get_user_model()
    applicant1 = User.objects.get(username="applicant1")
    sub_a = Submission.objects.get(applicant__username="sq2026101")
    sub_b = Submission.objects.get(applicant__username="sq2026104")
    Submission.objects.filter(pk=sub_a.pk).update(applicant=applicant1)
    auditor, _ = User.objects.get_or_create(username="auditor1")
    auditor.groups.add(group_for("auditor"))

    employer = User.objects.get(username="employer1")
    names = EmployerAccount.objects.filter(user=employer).values_list("employer_name", flat=True)
    record_a = CultivationRecord.objects.filter(craftsman__submission__employer__in=names).first()
    record_b = CultivationRecord.objects.exclude(craftsman__submission__employer__in=names).first()
    attachments = {}
    for key, record in (("A", record_a), ("B", record_b)):
        attachment = CultivationAttachment.objects.filter(record=record).first()
        if attachment is None:
            attachment = CultivationAttachment(
                record=record, original_name="带徒协议.pdf", content_type="application/pdf"
            )
            attachment.file.save("agreement.pdf", _pdf(), save=False)
            attachment.save()
        attachments[key] = attachment

    revocation = Revocation.objects.first()
    revocation_evidence = RevocationEvidence.objects.filter(revocation=revocation).first()
    if revocation_evidence is None:
        revocation_evidence = RevocationEvidence(
            revocation=revocation, original_name="证据.pdf", content_type="application/pdf"
        )
        revocation_evidence.file.save("evidence.pdf", _pdf(), save=False)
        revocation_evidence.save()
    objection_evidence = ObjectionEvidence.objects.first()
    round_2025 = SelectionRound.objects.get(year=2025)
    first = {
        "craftsman_rounds": round_2025.pk,
        "craftsman_units": sub_a.recommending_unit_id,
        "craftsman_industries": sub_a.industry_id,
        "craftsman_memberships": employer_membership_pk(),
        "craftsman_experts": ReviewAssignment.objects.first().expert_id,
        "craftsman_criteria": ScoringCriterion.objects.first().pk,
        "craftsman_panels": _first_pk("craftsman", "ReviewPanel"),
        "objections": Objection.objects.first().pk,
        "holiday_overrides": _ensure_holiday_override(HolidayOverride),
        "holiday_years": _first_pk_or_create(HolidayCalendarYear),
    }
    return {
        "submission": {"A": sub_a.pk, "B": sub_b.pk},
        "submission_attachment": {
            key: SubmissionAttachment.objects.filter(submission_id=pk)
            .exclude(kind=SubmissionAttachment.Kind.RECOMMENDATION_LETTER)
            .first()
            .pk
            for key, pk in (("A", sub_a.pk), ("B", sub_b.pk))
        },
        "assignment": {
            "A": ReviewAssignment.objects.filter(expert__user__username="expert1").first().pk,
            "B": ReviewAssignment.objects.filter(expert__user__username="expert2").first().pk,
        },
        "craftsman": {"A": record_a.craftsman_id, "B": record_b.craftsman_id},
        "cultivation_record": {"A": record_a.pk, "B": record_b.pk},
        "cultivation_attachment": {key: a.pk for key, a in attachments.items()},
        "round": round_2025.pk,
        "revocation": revocation.pk,
        "revocation_evidence": revocation_evidence.pk,
        "objection_evidence": objection_evidence.pk,
        "certificate_batch": CertificateBatch.objects.get_or_create(round=round_2025)[0].pk,
        "first": first,
    }


def _pdf():
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def employer_membership_pk():
    from craftsman.models import UnitMembership

    return UnitMembership.objects.filter(user__username="zhanggong").get().pk


def _first_pk(app_label, model_name):
    from django.apps import apps

    return apps.get_model(app_label, model_name).objects.order_by("pk").first().pk


def _first_pk_or_create(model):
    instance = model.objects.order_by("pk").first()
    return instance.pk if instance else model.objects.create(year=2031).pk


def _ensure_holiday_override(model):
    import datetime

    instance = model.objects.order_by("pk").first()
    if instance is None:
        instance = model.objects.create(
            date=datetime.date(2031, 1, 2), is_workday=False, note="测试"
        )
    return instance.pk


# Which record is "own" for a role, per kind (see the module docstring).
OWNS_B = {"ruijin", "expert2", "applicant2"}

USERNAMES = {
    "bureau": "bureau",
    "editor": "editor",
    "reviewer": "reviewer",
    "zhanggong": "zhanggong",
    "ruijin": "ruijin",
    "expert1": "expert1",
    "expert2": "expert2",
    "employer": "employer1",
    "finance": "finance1",
    "observer": "talent1",
    "auditor": "auditor1",
    "applicant1": "applicant1",
    "applicant2": "sq2026104",
}


def url_for(url_name, role, scope, records):
    """The URL of ``url_name`` for ``role``'s own record, another's, or the only one."""
    key = "A"
    if scope != "-":
        key = "B" if (role in OWNS_B) == (scope == "own") else "A"

    def pick(kind):
        return records[kind][key]

    namespace, _sep, name = url_name.rpartition(":")
    if url_name in ("craftsman_submissions:attachment", "apply:attachment"):
        args = [pick("submission_attachment")]
    elif url_name == "apply:delete_attachment":
        args = [pick("submission_attachment")]
    elif url_name == "craftsman_submissions:action":
        args = [pick("submission"), "recommend"]
    elif namespace == "craftsman_submissions" or url_name in ("apply:status", "apply:withdraw"):
        args = [pick("submission")] if name not in ("index", "index_results", "add") else []
    elif url_name == "apply:step":
        args = [pick("submission"), 1]
    elif url_name == "craftsman_review:sheet":
        args = [pick("assignment")]
    elif url_name in ("craftsman_review:assignments", "craftsman_review:ranking"):
        args = [records["round"]]
    elif url_name == "craftsman_conferral:round":
        args = [records["round"]]
    elif url_name == "craftsman_conferral:certificate":
        args = [pick("craftsman")]
    elif url_name == "craftsman_cultivation:edit":
        args = [pick("craftsman"), 1]
    elif url_name == "craftsman_cultivation:record":
        args = [pick("cultivation_record")]
    elif url_name == "craftsman_cultivation:attachment":
        args = [pick("cultivation_attachment")]
    elif url_name == "craftsman_certificates:request":
        args = [records["round"]]
    elif namespace == "craftsman_certificates":
        args = [records["certificate_batch"]]
    elif url_name == "craftsman_revocation:case":
        args = [records["revocation"]]
    elif url_name == "craftsman_revocation:evidence":
        args = [records["revocation_evidence"]]
    elif url_name == "publications_objection_evidence":
        args = [records["objection_evidence"]]
    elif namespace in records["first"] and name not in ("index", "index_results", "add"):
        args = [records["first"][namespace]]
    else:
        args = []
    return reverse(url_name, args=args)


def _client_for(client, role):
    """Signed in as the role's demo account, past two-factor sign-in where staff need it."""
    from website.security.testing import verified_login

    if role != "anon":
        verified_login(client, get_user_model().objects.get(username=USERNAMES[role]))
    return client


def _split(url_name):
    """("craftsman_submissions:action", "POST") from "craftsman_submissions:action POST"."""
    name, _sep, method = url_name.partition(" ")
    return name, method or "GET"


@pytest.mark.parametrize("role", ROLES)
def test_matrix(seeded, db, client, role):
    """Every cell of the role's column; POST rows last (they may change the records)."""
    client = _client_for(client, role)
    rows = [row for row in parse_matrix(MATRIX) if row[1] == role]
    rows.sort(key=lambda row: _split(row[0])[1] == "POST")
    failures, observed = [], {}
    for url_name, _role, scope, expected in rows:
        name, method = _split(url_name)
        url = url_for(name, role, scope, seeded)
        if method == "POST":
            response = client.post(url, {"comment": "越权尝试", "reason": "越权尝试"})
        else:
            response = client.get(url)
        observed[(url_name, scope)] = got = outcome(response)
        if got != expected:
            failures.append(f"{method} {url} ({url_name}, {scope}): expected {expected}, got {got}")
    if RECORD:
        print("\nOBSERVED", role, observed)
    assert failures == [], "\n".join(failures)


RECORD = False  # True prints the observed column of each role (when adding rows)
