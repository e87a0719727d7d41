from django.urls import path

from loket.officials import views

app_name = "officials"

urlpatterns = [
    path("leidinggevenden/", views.function_list, name="list"),
    path("leidinggevenden/<uuid:function>/", views.function_detail, name="detail"),
    path("leidinggevenden/<uuid:function>/contact/", views.function_contact, name="contact"),
    path("leidinggevenden/<uuid:function>/functionarissen/<uuid:official>/", views.official_edit, name="edit"),
    path(
        "leidinggevenden/<uuid:function>/functionarissen/<uuid:official>/beeindigen/",
        views.official_end,
        name="end",
    ),
]
