"""Staff pages of ceremonies, visits, contributors and the yearly meeting, under /staff/thu/
(included by thanthien/letters/urls.py; namespace "staff")."""

from django.urls import path

from thanthien.letters import ceremony_views, contributor_views

urlpatterns = [
    path("le-tham-hoi/", ceremony_views.ceremony_calendar, name="ceremony_calendar"),
    path("le-tham-hoi/them/", ceremony_views.ceremony_new, name="ceremony_new"),
    path("le-tham-hoi/<int:pk>/", ceremony_views.ceremony_detail, name="ceremony_detail"),
    path("le-tham-hoi/<int:pk>/sua/", ceremony_views.ceremony_edit, name="ceremony_edit"),
    path("le-tham-hoi/<int:pk>/ghi-nhan/", ceremony_views.ceremony_record, name="ceremony_record"),
    path("le-tham-hoi/<int:pk>/huy/", ceremony_views.ceremony_cancel, name="ceremony_cancel"),
    path("le-tham-hoi/anh/<int:pk>/", ceremony_views.ceremony_photo, name="ceremony_photo"),
    path("nguoi-dong-gop/", contributor_views.contributor_list, name="contributor_list"),
    path(
        "nguoi-dong-gop/xuat-xlsx/",
        contributor_views.contributor_export,
        name="contributor_export",
    ),
    path("nguoi-dong-gop/them/", contributor_views.contributor_new, name="contributor_new"),
    path(
        "nguoi-dong-gop/<int:pk>/",
        contributor_views.contributor_detail,
        name="contributor_detail",
    ),
    path(
        "nguoi-dong-gop/<int:pk>/sua/",
        contributor_views.contributor_edit,
        name="contributor_edit",
    ),
    path(
        "nguoi-dong-gop/<int:pk>/dong-gop/",
        contributor_views.contributor_contribute,
        name="contributor_contribute",
    ),
    path("hoi-nghi/", contributor_views.meeting_list, name="meeting_list"),
    path("hoi-nghi/<int:pk>/", contributor_views.meeting_detail, name="meeting_detail"),
    path("hoi-nghi/<int:pk>/moi/", contributor_views.meeting_invitees, name="meeting_invitees"),
    path(
        "hoi-nghi/<int:pk>/diem-danh/",
        contributor_views.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "hoi-nghi/<int:pk>/giay-moi.docx",
        contributor_views.meeting_invitations_docx,
        name="meeting_invitations_docx",
    ),
]
