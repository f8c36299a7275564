"""Pages of the producer corner (/producer/) and the office's review queue (/office/changes/)."""

from django.urls import include, path

from vendors import reports, views

app_name = "vendors"

producer_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("products/", views.ProductListView.as_view(), name="products"),
    path("products/new/", views.ProductCreateView.as_view(), name="product-create"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product"),
    path("products/<int:pk>/edit/", views.ProductEditView.as_view(), name="product-edit"),
    path("products/<int:pk>/photos/new/", views.PhotoAddView.as_view(), name="photo-add"),
    path(
        "products/<int:pk>/photos/<int:image_pk>/delete/",
        views.PhotoDeleteView.as_view(),
        name="photo-delete",
    ),
    path(
        "products/<int:pk>/certificates/new/",
        views.CertificateAddView.as_view(),
        name="certificate-add",
    ),
    path("products/<int:pk>/batches/new/", views.BatchAddView.as_view(), name="batch-add"),
    path("batches/<int:pk>/edit/", views.BatchEditView.as_view(), name="batch-edit"),
    path("batches/<int:pk>/delete/", views.BatchDeleteView.as_view(), name="batch-delete"),
    path("combos/", views.ComboListView.as_view(), name="combos"),
    path("combos/new/", views.ComboCreateView.as_view(), name="combo-create"),
    path("combos/<int:pk>/edit/", views.ComboEditView.as_view(), name="combo-edit"),
    path("stock/", views.StockView.as_view(), name="stock"),
    path("sales/", reports.SalesView.as_view(), name="sales"),
    path("changes/", views.ChangeListView.as_view(), name="changes"),
    path("changes/<int:pk>/withdraw/", views.ChangeWithdrawView.as_view(), name="change-withdraw"),
    path("changes/<int:pk>/file/", views.ChangeAttachmentView.as_view(), name="change-file"),
]

office_patterns = [
    path("", views.ReviewQueueView.as_view(), name="review-queue"),
    path("<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("<int:pk>/file/", views.ReviewAttachmentView.as_view(), name="review-file"),
]

urlpatterns = [
    path("producer/", include(producer_patterns)),
    path("office/changes/", include(office_patterns)),
]
