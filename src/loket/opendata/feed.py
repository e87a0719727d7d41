"""Recording changes of public datasets: every save or delete of a model whose mapping names a dataset writes a
`FeedEntry` in the same transaction, and (on commit) asks the worker to bring the SPARQL store and the dataset's
dump up to date. A save whose `update_fields` are all fields that the model's mapping declares `unpublished` (no public
graph reads them: the supervisor's handling of a submission), and a save or delete of an instance its mapping calls a
`draft` (a submission's concept: never public, and nothing sent becomes a concept again), is no change of published
data and writes nothing. Writes that bypass the model (`QuerySet.update`, `bulk_create`) are not seen: `manage.py
opendata check` names what differs and `manage.py opendata rebuild` puts it right."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from loket.core.linkeddata import mapping_info, mapping_infos


def subject_of(instance: Any) -> str:
    try:
        return str(getattr(instance, "uri", "") or "")[:500]
    except Exception:
        return ""


def record(instance: Any, *, dataset: str, deleted: bool) -> None:
    from loket.opendata.models import FeedEntry

    FeedEntry.objects.create(
        dataset=dataset,
        model_label=instance._meta.label,
        object_pk=str(instance.pk),
        subject=subject_of(instance),
        at=timezone.now(),
        deleted=deleted,
    )
    transaction.on_commit(lambda: schedule(dataset))


def record_followers(instance: Any, *, model: Any, dataset: str, lookup: str) -> None:
    """`instance` changed and the graphs of `model`'s instances show some of it: they changed too."""
    from loket.opendata.models import FeedEntry

    now = timezone.now()
    followers = model._default_manager.filter(**{lookup: instance}).order_by("pk")
    forward = _forward_key(model, lookup, instance)
    if forward is not None:  # the follower is named by a key on the instance itself: no query when it names none
        pk = getattr(instance, forward)
        if pk is None:
            return
        followers = model._default_manager.filter(pk=pk)
    entries = [
        FeedEntry(
            dataset=dataset,
            model_label=model._meta.label,
            object_pk=str(follower.pk),
            subject=subject_of(follower),
            at=now,
        )
        for follower in followers.iterator(chunk_size=500)
    ]
    if entries:
        FeedEntry.objects.bulk_create(entries)
        transaction.on_commit(lambda: schedule(dataset))


def _forward_key(model: Any, lookup: str, instance: Any) -> str | None:
    """When `lookup` is the reverse side of a foreign key held by `instance` itself (a correction `replaces` the
    submission it corrects; the original follows it as `replaced_by`), the attribute naming the one follower."""
    if "__" in lookup:
        return None
    try:
        relation = model._meta.get_field(lookup)
    except FieldDoesNotExist:
        return None
    if relation.concrete or not relation.auto_created or relation.many_to_many:
        return None
    key = relation.field  # the foreign key, on the model that points at `model`
    return key.attname if isinstance(instance, key.model) else None


def unpublished_change(model: Any, update_fields: Any, instance: Any = None) -> bool:
    """Does a save of `instance` of `model` that wrote `update_fields` (None: every field; a delete: None) change
    nothing any public graph reads? The one place the feed decides to skip a save or delete, for the model's own entry
    and for those of its followers."""
    info = mapping_info(model)
    if info is None:
        return False
    if instance is not None and info.draft is not None and info.draft(instance):
        return True
    if not update_fields or not info.unpublished:
        return False
    meta = model._meta
    try:
        names = {meta.get_field(name).name for name in update_fields}  # "handled_by_id" is field "handled_by"
    except FieldDoesNotExist:
        names = set(update_fields)
    return names <= info.unpublished


def schedule(dataset: str) -> None:
    from loket.opendata.tasks import schedule_refresh

    schedule_refresh(dataset)


def connect() -> None:
    for info in mapping_infos():
        if info.dataset is None:
            continue

        def saved(
            sender: Any,
            instance: Any,
            raw: bool = False,
            dataset: str = info.dataset,
            update_fields: Any = None,
            **_: Any,
        ) -> None:
            if not raw and not unpublished_change(sender, update_fields, instance):  # fixtures: no change
                record(instance, dataset=dataset, deleted=False)

        def deleted(sender: Any, instance: Any, dataset: str = info.dataset, **_: Any) -> None:
            if not unpublished_change(sender, None, instance):
                record(instance, dataset=dataset, deleted=True)

        label = info.model._meta.label
        post_save.connect(saved, sender=info.model, weak=False, dispatch_uid=f"opendata-save-{label}")
        post_delete.connect(deleted, sender=info.model, weak=False, dispatch_uid=f"opendata-delete-{label}")
        for followed, lookup in info.follows.items():

            def changed(
                sender: Any,
                instance: Any,
                raw: bool = False,
                model: Any = info.model,
                dataset: str = info.dataset,
                lookup: str = lookup,
                update_fields: Any = None,
                **_: Any,
            ) -> None:
                if not raw and not unpublished_change(sender, update_fields, instance):
                    record_followers(instance, model=model, dataset=dataset, lookup=lookup)

            post_save.connect(
                changed, sender=followed, weak=False, dispatch_uid=f"opendata-follow-{label}-{followed._meta.label}"
            )
