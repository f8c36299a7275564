"""Experience pages under /experiences/ (namespace ``experiences``)."""

app_name = "experiences"

urlpatterns = []
