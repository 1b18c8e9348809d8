"""The site's own content: the home page and site-wide contact settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from website.search import chinese_search_fields


class HomePage(Page):
    """The front page.  Plugins add panels to it through the ``home_page_panels`` hook."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = chinese_search_fields([*Page.search_fields, index.SearchField("intro")])
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["panels"] = [
            panel
            for hook in hooks.get_hooks("home_page_panels")
            if (panel := hook(request, self)) is not None
        ]
        return context


@register_setting(icon="site")
class SiteContact(BaseGenericSetting):
    """The bureau's contact details, shown in the footer of every page."""

    bureau_name = models.CharField(
        _("主办单位"), max_length=100, default="赣州市人力资源和社会保障局"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    icp_record = models.CharField(_("备案号"), max_length=50, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("bureau_name"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("office_hours"),
            ],
            heading=_("联系方式"),
        ),
        FieldPanel("icp_record"),
    ]

    class Meta:
        verbose_name = _("网站联系信息")
        verbose_name_plural = _("网站联系信息")
