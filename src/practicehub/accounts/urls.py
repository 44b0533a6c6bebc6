from __future__ import annotations

from django.urls import path

from practicehub.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("org/", views.org_tree, name="org_tree"),
    path("org/new/", views.node_create, name="node_create"),
    path("org/<int:pk>/", views.node_detail, name="node"),
    path("org/<int:pk>/edit/", views.node_edit, name="node_edit"),
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("people/<int:pk>/roles/<int:assignment_pk>/remove/", views.role_revoke,
         name="role_revoke"),
]
