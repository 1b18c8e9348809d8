"""The platform's roles, as Django groups.

The table is the single source of role names.  Plugins grant their own model
permissions to these groups in their own post-migrate handlers, looking groups
up by the ``key`` given here.  Groups are created after every ``migrate``, so a
production database has them without demo data.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission


@dataclass(frozen=True)
class Role:
    key: str
    name: str  # the group's name as staff see it
    description: str
    admin_access: bool = True


ROLES = [
    Role("bureau", "市人社局", "市人社局工作人员：管理批次、评审、公示、认定、培养和退出。"),
    Role("editor", "编辑", "起草政策、通知公告和公示页面，提交审核；不能直接发布。"),
    Role("reviewer", "审核发布", "审核编辑提交的页面并发布（先审后发）。"),
    Role(
        "unit_staff", "推荐单位", "县（市、区）人社局、市直部门：只看本单位收到的申报，审核推荐。"
    ),
    Role("expert", "评审专家", "只看分配给本人的申报材料并评分。"),
    Role("employer", "用人单位", "只看本单位的赣州工匠，报送年度培养情况。"),
    Role("finance", "市财政局", "只看奖励发放记录并登记发放。"),
    Role("observer", "市委人才办、市总工会", "只读查看结果和统计。"),
    Role("auditor", "审计管理员", "只读查看审计日志。"),
    Role(
        "sysadmin",
        "系统管理员",
        "管理用户账号、角色分配和登录锁定；不能查看审计日志，不处理业务。",
    ),
    Role("applicant", "申报人", "在线申报的个人账号，不能进入管理后台。", admin_access=False),
]
ROLES_BY_KEY = {role.key: role for role in ROLES}


def group_for(key):
    """The Group of a role, created if missing."""
    role = ROLES_BY_KEY[key]
    group, _ = Group.objects.get_or_create(name=role.name)
    return group


def ensure_roles():
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for role in ROLES:
        group = group_for(role.key)
        if role.admin_access and access_admin:
            group.permissions.add(access_admin)
    # 三员分立: the user managers' and the auditor's permissions (website.security.duties).
    from website.security.duties import grant_duty_permissions

    grant_duty_permissions()
    # The outbox's read-only list for the bureau (website.mail_admin).
    from website.mail_admin import grant_outbox_permissions

    grant_outbox_permissions()


def ensure_roles_after_migrate(sender, **kwargs):
    ensure_roles()
