from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("allowance/", views.usage, name="usage"),
    path("cancellations/", views.cancellations, name="cancellations"),
    path("statements/", views.statements, name="statements"),
    path(
        "statements/case/<int:case_id>/",
        views.statement_preview,
        name="statement_preview",
    ),
    path("statements/<int:statement_id>/", views.statement, name="statement"),
    path("simulator/", views.simulator, name="simulator"),
]
