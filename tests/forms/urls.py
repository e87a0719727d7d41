from django.urls import path

from .views import form_page

urlpatterns = [path("formulier/", form_page, name="semantic-form-test")]
