"""The verify and enrolment pages of two-factor sign-in (see ``two_factor``).

Both live under the admin URL (registered through ``register_admin_urls``), so
Wagtail's ``require_admin_access`` applies: an applicant account cannot enrol.
The form field is named ``otp_token`` on both pages.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from website.security.totp import qr_code_svg, totp_secret_text
from website.security.two_factor import VERIFY_URL_NAME, two_factor_required

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("验证码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("身份验证器 App 上的 6 位数字，或一个恢复码。"),
        error_messages={"required": _("请输入验证码。")},
    )

    def __init__(self, *args, check, invalid_message, **kwargs):
        """``check(token)`` returns the device that accepts the token, or None."""
        self.check = check
        self.invalid_message = invalid_message
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_otp_token(self):
        token = "".join(self.cleaned_data["otp_token"].split()).lower()
        self.device = self.check(token)
        if self.device is None:
            raise forms.ValidationError(self.invalid_message, code="invalid")
        return token


def verify_token(user, token):
    """The confirmed device that accepts ``token``, or None.

    A six-digit token is tried on the authenticator only and anything else on
    the recovery codes only, so a mistyped code never counts against the
    other device's throttling.
    """
    if token.isdigit() and len(token) == 6:
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    else:
        devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(token):
                return device
    return None


def safe_next(request, default=None):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default or reverse("wagtailadmin_home")


@sensitive_post_parameters("otp_token")
def verify(request):
    if not user_has_device(request.user):
        return redirect("website_two_factor_enrol")
    form = TokenForm(
        request.POST or None,
        check=lambda token: verify_token(request.user, token),
        invalid_message=_("验证码不正确或已过期（连续输错后需稍等片刻再试）。"),
    )
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = StaticToken.objects.filter(device=form.device).count()
            messages.warning(
                request,
                _(
                    "已使用一个恢复码，还剩 %(count)d 个。请尽快在“两步验证”中重新绑定或生成新的恢复码。"
                )
                % {"count": left},
            )
        return redirect(safe_next(request))
    return TemplateResponse(
        request,
        "website/security/two_factor_verify.html",
        {"form": form, "next": safe_next(request)},
    )


@sensitive_post_parameters("otp_token")
def enrol(request):
    """Bind an authenticator app: scan, confirm with a code, then see the recovery codes once.

    A user who already has a device must verify first: enrolling a new device
    is not a way around the second factor.
    """
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect(reverse(VERIFY_URL_NAME) + "?" + request.GET.urlencode())
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by(
        "-pk"
    ).first() or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    form = TokenForm(
        request.POST or None,
        check=lambda token: device if device.verify_token(token) else None,
        invalid_message=_("验证码不正确：请核对手机时间，输入 App 上当前显示的 6 位数字。"),
    )
    if request.method == "POST" and form.is_valid():
        codes = confirm_enrolment(user, device)
        otp_login(request, device)
        log(instance=user, action="website.two_factor_enrol", user=user)
        return TemplateResponse(
            request,
            "website/security/two_factor_recovery_codes.html",
            {"codes": codes, "next": safe_next(request)},
        )
    return TemplateResponse(
        request,
        "website/security/two_factor_enrol.html",
        {
            "form": form,
            "next": safe_next(request),
            "qr_svg": qr_code_svg(device.config_url),
            "secret": totp_secret_text(device),
            "required": two_factor_required(user),
            "already_enrolled": user_has_device(user),
        },
    )


@transaction.atomic
def confirm_enrolment(user, device):
    """Confirm ``device``, retire the user's other devices, and issue new recovery codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return issue_recovery_codes(user)


def issue_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


RESET_PERMISSION = "auth.change_user"
RESET_ACTION = "website.two_factor_reset"


def can_reset(user):
    return user.is_active and user.has_perm(RESET_PERMISSION)


@transaction.atomic
def reset_two_factor(account, by):
    """Remove every device of ``account`` (lost phone and codes), with an audit entry.

    A required account is then asked to enrol again at its next sign-in.
    """
    removed = TOTPDevice.objects.filter(user=account).delete()[0]
    removed += StaticDevice.objects.filter(user=account).delete()[0]
    log(instance=account, action=RESET_ACTION, user=by)
    return removed


def reset(request):
    """POST ``username``: the 系统管理员 resets a colleague's two-factor sign-in."""
    if request.method != "POST":
        return redirect("website_lockouts")
    if not can_reset(request.user):
        raise PermissionDenied
    username = request.POST.get("username", "").strip()
    account = get_user_model().objects.filter(username=username).first()
    if account is None:
        messages.error(request, _("没有找到账号“%(username)s”。") % {"username": username})
    elif account.pk == request.user.pk:
        messages.error(request, _("不能重置自己的两步验证，请由另一位系统管理员操作。"))
    else:
        reset_two_factor(account, request.user)
        messages.success(
            request,
            _("已重置账号 %(username)s 的两步验证：下次登录时需重新绑定身份验证器。")
            % {"username": username},
        )
    return redirect("website_lockouts")
