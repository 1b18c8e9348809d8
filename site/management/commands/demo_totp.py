"""Print the current two-step sign-in code of a demo account (development only).

The demo accounts that must give a second factor share a published demo key (README,
"Demo accounts"); this saves a tester from setting up an authenticator app.  It refuses
with ``DEBUG`` off: on a real site nobody should read codes off the server.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "显示演示账号当前的两步验证码（仅限开发环境）。"

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="bureau")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("只能在开发环境（DEBUG=1）中使用：生产环境不得从服务器读取验证码。")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号 {username} 不存在。")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"账号 {username} 没有已启用的身份验证器。")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{username} 当前验证码：{code:0{device.digits}d}（30 秒内有效）")
