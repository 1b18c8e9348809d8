"""Wagtail hooks of the site itself (Wagtail imports this module at start-up)."""

from wagtail import hooks

from website.security import admin_hooks  # noqa: F401  (registers the security hooks)


@hooks.register("register_admin_viewset")
def register_outgoing_mail_viewset():
    """系统设置 → 邮件发送记录 (website.mail_admin)."""
    from website.mail_admin import outgoing_mail_viewset

    return outgoing_mail_viewset
