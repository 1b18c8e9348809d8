"""Background tasks of the site, run by the django-q2 cluster."""

from django.core.management import call_command


def publish_scheduled():
    """Publish pages whose go-live time has come and unpublish expired ones."""
    call_command("publish_scheduled")
