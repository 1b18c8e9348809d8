"""How a TOTP secret is shown to a person: a QR code (inline SVG) and grouped text."""

from base64 import b32encode

import segno


def qr_code_svg(config_url):
    """The ``otpauth://`` URL as an inline SVG QR code (no image request, no inline script)."""
    return segno.make(config_url, error="m").svg_inline(scale=5, border=2)


def totp_secret_text(device):
    """The secret in base32, in groups of four, as authenticator apps ask for it by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
