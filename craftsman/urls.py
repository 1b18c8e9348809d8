"""Public URLs of the craftsman plugin, mounted by the site at ``PUBLIC_URL_PREFIX``."""

from django.urls import path

from craftsman.application import views

PUBLIC_URL_PREFIX = "apply/"
app_name = "apply"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("register/", views.register, name="register"),
    path("login/", views.ApplicantLoginView.as_view(), name="login"),
    path("logout/", views.ApplicantLogoutView.as_view(), name="logout"),
    path("new/", views.new_application, name="new"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/step/<int:number>/", views.step_view, name="step"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
    path("attachment/<int:pk>/delete/", views.delete_attachment, name="delete_attachment"),
]
