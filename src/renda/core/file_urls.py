"""/files/: the one download view of stored files (core.downloads). Public, not under
/work/: the public may download the files of published records; the view asks the
scoping layer for each file."""

from django.urls import path

from .downloads import serve

urlpatterns = [path("<str:key>/<int:pk>/", serve, name="download")]
