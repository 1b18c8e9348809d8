from django.conf import settings


def site_navigation(request):
    """Values every public template needs: the bureau's name and which plugins run."""
    return {
        "BUREAU_NAME": settings.BUREAU_NAME,
        "PLUGINS": settings.PLUGINS,
    }
