"""Demo content of the site itself: the Site, the home page and one account per role.

Plugins add their own demo content through the ``seed_demo`` hook; see
``website/management/commands/seed_demo.py``.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Page, Site

from website.models import HomePage, SiteContact
from website.roles import group_for

# Demo only: printed in README.md.  seed_demo refuses to run with DEBUG off.
DEMO_PASSWORD = "Gzgj@2025demo"

DEMO_ACCOUNTS = [
    # username, role key, display name, is_superuser
    ("admin", "bureau", "系统管理员", True),
    ("bureau", "bureau", "市人社局 王科长", False),
    ("editor", "editor", "编辑 李明", False),
    ("reviewer", "reviewer", "审核发布 陈芳", False),
    ("zhanggong", "unit_staff", "章贡区人社局 刘洋", False),
    ("ruijin", "unit_staff", "瑞金市人社局 钟华", False),
    ("expert1", "expert", "评审专家 黄建国", False),
    ("expert2", "expert", "评审专家 曾丽萍", False),
    ("employer1", "employer", "赣州稀金科技有限公司 人事部", False),
    ("sysadmin", "sysadmin", "系统管理员 周敏", False),
    ("auditor", "auditor", "审计管理员 孙立", False),
]

# Two-factor sign-in (website.security.two_factor): these demo accounts get a
# confirmed authenticator with this fixed, published key so that a tester can
# add it to an authenticator app (README, "Security").  Demo only.
DEMO_TOTP_SECRET = "GZGJDEMOGZGJDEMOGZGJDEMOGZGJDEMO"  # base32, as typed into an app
DEMO_TOTP_USERNAMES = ("admin", "bureau", "bureau2", "sysadmin")


@transaction.atomic
def seed_site():
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a plain "Welcome to your new Wagtail
        # site!" page (and a Site on it) where the home page belongs.
        for placeholder in root.get_children().filter(content_type__model="page"):
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(
                title="赣州工匠",
                slug="home",
                intro="<p>弘扬工匠精神，培养选拔一批具有精湛技艺、高超技能的“赣州工匠”。</p>",
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="赣州工匠",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "赣州工匠"
        site.save()
    contact = SiteContact.load()
    if not contact.phone:
        contact.address = "江西省赣州市章贡区长征大道1号 市人社局"
        contact.phone = "0797-8888888"
        contact.email = "gzgj@example.gov.cn"
        contact.office_hours = "工作日 上午8:00-12:00，下午14:30-17:30"
        contact.save()
    return home


@transaction.atomic
def seed_accounts():
    User = get_user_model()
    for username, role_key, display_name, is_superuser in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": display_name,
                "email": f"{username}@example.gov.cn",
                "is_superuser": is_superuser,
                "is_staff": is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(group_for(role_key))


@transaction.atomic
def seed_two_factor():
    """A confirmed TOTP device with ``DEMO_TOTP_SECRET`` for each of ``DEMO_TOTP_USERNAMES``.

    Runs after the plugins' seeds (``bureau2`` comes from craftsman) and skips
    accounts that do not exist.  Idempotent: the device is found by its name.
    """
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = b32decode(DEMO_TOTP_SECRET).hex()
    for user in get_user_model().objects.filter(username__in=DEMO_TOTP_USERNAMES):
        TOTPDevice.objects.get_or_create(
            user=user, name="演示身份验证器", defaults={"key": key, "confirmed": True}
        )
