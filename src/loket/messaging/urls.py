from django.urls import path

from loket.messaging import api, views

app_name = "messaging"

urlpatterns = [
    path("berichtencentrum/", views.conversation_list, name="list"),
    path("berichtencentrum/mailinstellingen/", views.notification_settings, name="settings"),
    path("berichtencentrum/<uuid:conversation>/", views.conversation_detail, name="detail"),
    path(
        "berichtencentrum/<uuid:conversation>/concepten/<uuid:draft>/versturen/",
        views.reply_draft_send,
        name="draft-send",
    ),
    path(
        "berichtencentrum/<uuid:conversation>/concepten/<uuid:draft>/verwijderen/",
        views.reply_draft_discard,
        name="draft-discard",
    ),
    path("berichtencentrum/<uuid:conversation>/bijlagen/<uuid:attachment>/", views.conversation_file, name="file"),
    path(
        "berichtencentrum/<uuid:conversation>/berichten/<uuid:message>/ontvangstbewijs.<str:fmt>",
        views.reply_receipt_view,
        name="receipt",
    ),
    path("berichtencentrum-abb/", views.agency_list, name="agency-list"),
    path("berichtencentrum-abb/nieuw/", views.agency_new, name="agency-new"),
    path("berichtencentrum-abb/omzendbrieven/<uuid:circular>/", views.circular_progress, name="circular"),
    path("berichtencentrum-abb/<uuid:conversation>/", views.agency_detail, name="agency-detail"),
    path("berichtencentrum-abb/<uuid:conversation>/bijlagen/<uuid:attachment>/", views.agency_file, name="agency-file"),
    path(
        "berichtencentrum-abb/<uuid:conversation>/berichten/<uuid:message>/ontvangstbewijs.<str:fmt>",
        views.agency_receipt,
        name="agency-receipt",
    ),
    path("api/berichtencentrum/agency-messages", api.agency_messages, name="api-agency-messages"),
    path("api/berichtencentrum/replies", api.replies, name="api-replies"),
    path("api/berichtencentrum/replies/ack", api.replies_ack, name="api-replies-ack"),
    path("api/berichtencentrum/files/<uuid:attachment>", api.attachment_download, name="api-file"),
    path("id/conversaties/<uuid:conversation>", views.conversation_resource, name="conversation-resource"),
    path("id/berichten/<uuid:message>", views.message_resource, name="message-resource"),
]
