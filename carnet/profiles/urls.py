from django.urls import path, register_converter

from carnet.profiles import urls_activity, urls_documents, views
from carnet.profiles import views_portability as portability
from carnet.profiles.registry import REORDERABLE


class SectionConverter:
    # Only the known section keys match, so these routes never shadow another /me/edit/... page.
    regex = "|".join(REORDERABLE)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class CardConverter(SectionConverter):
    regex = "|".join(["intro", "about", "contact", "strength", *REORDERABLE])


register_converter(SectionConverter, "section")
register_converter(CardConverter, "card")

app_name = "profiles"
urlpatterns = [
    path("me/", views.me, name="me"),
    # The profile editor (owner only).
    path("me/edit/intro/", views.edit_intro, name="edit_intro"),
    path("me/edit/about/", views.edit_about, name="edit_about"),
    path("me/edit/contact/", views.edit_contact, name="edit_contact"),
    path("me/edit/image/<str:kind>/", views.edit_image, name="edit_image"),
    path("me/edit/skills/", views.edit_skills, name="edit_skills"),
    path("me/edit/skills/<int:pk>/remove/", views.skill_remove, name="skill_remove"),
    path("me/card/<card:name>/", views.card, name="card"),
    path("me/edit/<section:section>/add/", views.section_add, name="section_add"),
    path("me/edit/<section:section>/<int:pk>/", views.section_edit, name="section_edit"),
    path("me/edit/<section:section>/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("me/edit/<section:section>/<int:pk>/move/", views.section_move, name="section_move"),
    path("me/visibility/", views.edit_visibility, name="edit_visibility"),
    path("me/suggest/skills/", views.skill_suggestions, name="skill_suggestions"),
    path("me/suggest/<str:kind>/", views.organization_suggestions, name="organization_suggestions"),
    # The profile page.
    path("in/<slug:slug>/", views.detail, name="detail"),
    # Portability: JSON Resume import/export, LinkedIn archive import, vCard.
    path("me/portability/", portability.index, name="portability"),
    path("me/portability/resume.json", portability.resume_download, name="resume_export"),
    path("me/portability/resume/import/", portability.resume_import, name="resume_import"),
    path("me/portability/linkedin/import/", portability.linkedin_import, name="linkedin_import"),
    path("me/portability/jobs/<int:job_id>/", portability.import_job, name="import_job"),
    path("me/portability/jobs/<int:job_id>/progress/", portability.import_job_progress, name="import_job_progress"),
    path("in/<slug:slug>/vcard", portability.vcard, name="vcard"),
]
# Documents, PDF CV, activity (who viewed, timeline), public address, robots.txt and sitemap.
urlpatterns += urls_documents.urlpatterns + urls_activity.urlpatterns
