from django.urls import include, path

from renda.api.api import api
from renda.core import views as core_views

urlpatterns = [
    path("", include("renda.portal.urls")),
    path("accounts/", include("renda.core.auth_urls")),
    path("work/", core_views.workbench, name="workbench"),
    path("work/", include("renda.core.urls")),
    path("work/workflow/", include("renda.workflow.urls")),
    path("work/party/", include("renda.party.urls")),
    path("work/suggestions/", include("renda.suggestions.urls")),
    path("work/filing/", include("renda.filing.urls")),
    path("filing/", include("renda.filing.public_urls")),
    path("work/reports/", include("renda.reports.urls")),
    path("api/", api.urls),
]
