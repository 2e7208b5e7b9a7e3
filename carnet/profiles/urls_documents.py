"""Routes of CVs, cover letters and the PDF CV (added to profiles.urls, namespace "profiles")."""

from django.urls import path

from carnet.profiles import views_documents

urlpatterns = [
    path("me/documents/", views_documents.documents_manage, name="documents"),
    path("me/documents/<int:pk>/edit/", views_documents.document_edit, name="document_edit"),
    path("me/documents/<int:pk>/delete/", views_documents.document_delete, name="document_delete"),
    path("me/documents/<int:pk>/default/", views_documents.document_default, name="document_default"),
    path("documents/<int:pk>/", views_documents.document_read, name="document_read"),
    path("documents/<int:pk>/download/", views_documents.document_download, name="document_download"),
    path("in/<slug:slug>/cv.pdf", views_documents.profile_pdf, name="profile_pdf"),
]
