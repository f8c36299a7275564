"""OCOP evaluation pages under /evaluation/ (namespace ``evaluation``); see ``views``."""

from django.urls import path

from shop.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # producer
    path("mine/", views.MyApplicationsView.as_view(), name="my-applications"),
    path("apply/", views.ApplyView.as_view(), name="apply"),
    # one application (whoever may see it), its moves, documents and certificate
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path("applications/<int:pk>/edit/", views.ApplicationEditView.as_view(),
         name="application-edit"),
    path("applications/<int:pk>/documents/", views.DocumentUploadView.as_view(),
         name="document-upload"),
    path("applications/<int:pk>/move/<str:to>/", views.MoveView.as_view(), name="move"),
    path("applications/<int:pk>/comment/", views.CommentView.as_view(), name="comment"),
    path("applications/<int:pk>/score/", views.ScorecardView.as_view(), name="scorecard"),
    path("applications/<int:pk>/close/", views.CloseScoringView.as_view(), name="close"),
    path("applications/<int:pk>/certificate/", views.CertificateView.as_view(),
         name="certificate"),
    path("applications/<int:pk>/certificate.pdf", views.CertificatePdfView.as_view(),
         name="certificate-pdf"),
    path("documents/<int:pk>/", views.DocumentFileView.as_view(), name="document-file"),
    # commune officer
    path("commune/", views.CommuneView.as_view(), name="commune"),
    # council member / chair
    path("council/", views.CouncilView.as_view(), name="council"),
    # district office
    path("office/rounds/", views.RoundListView.as_view(), name="rounds"),
    path("office/rounds/new/", views.RoundFormView.as_view(), name="round-create"),
    path("office/rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path("office/rounds/<int:pk>/edit/", views.RoundFormView.as_view(), name="round-edit"),
    path("office/rounds/<int:pk>/council/", views.CouncilEditView.as_view(),
         name="round-council"),
    path("office/rounds/<int:pk>/open-scoring/", views.OpenScoringView.as_view(),
         name="round-open-scoring"),
    path("office/rounds/<int:pk>/decision/", views.DecisionView.as_view(),
         name="round-decision"),
    path("office/applications/", views.OfficeApplicationsView.as_view(),
         name="office-applications"),
    path("office/sheets/", views.SheetListView.as_view(), name="sheets"),
    path("office/sheets/new/", views.SheetCreateView.as_view(), name="sheet-create"),
    path("office/sheets/<int:pk>/", views.SheetDetailView.as_view(), name="sheet"),
    path("office/sheets/<int:pk>/parts/<int:part>/criteria/new/",
         views.CriterionEditView.as_view(), name="sheet-criterion-create"),
    path("office/sheets/<int:pk>/criteria/<int:criterion>/", views.CriterionEditView.as_view(),
         name="sheet-criterion"),
]
