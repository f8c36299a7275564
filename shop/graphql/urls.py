from django.urls import path

from .views import GraphQLView

urlpatterns = [path("", GraphQLView.as_view(), name="graphql")]
