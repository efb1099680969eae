"""Re-tag affected articles in the background when reference data changes.

Edits are collected and sent as one task when their transaction commits, so loading the
reference files (hundreds of aliases in one transaction) queues one re-tagging, not hundreds.
Actors the pipeline itself proposes (candidates) do not trigger anything.
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Actor, ActorAlias, ActorRole, Dispute, DisputeParty, SystemAlias, WeaponsSystem

_local = threading.local()


def _queue(*, texts=(), actor_ids=(), system_ids=()) -> None:
    batch = getattr(_local, "batch", None)
    if batch is None:
        batch = _local.batch = {"texts": set(), "actors": set(), "systems": set()}
    batch["texts"].update(t for t in texts if t)
    batch["actors"].update(a for a in actor_ids if a)
    batch["systems"].update(s for s in system_ids if s)
    # Every edit registers a flush; the first to run after the commit sends the whole batch, the
    # rest find it empty. (Edits of a rolled-back transaction ride along with the next commit:
    # one harmless extra re-tagging.)
    transaction.on_commit(_flush)


def _flush() -> None:
    from .tasks import reference_retag_task

    batch, _local.batch = getattr(_local, "batch", None), None
    if batch and (batch["texts"] or batch["actors"] or batch["systems"]):
        reference_retag_task.delay(sorted(batch["texts"]), sorted(batch["actors"]), sorted(batch["systems"]))


def _previous(sender, instance, field: str) -> str:
    if instance.pk is None:
        return ""
    return sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first() or ""


@receiver(pre_save, sender=ActorAlias)
@receiver(pre_save, sender=SystemAlias)
def _remember_alias(sender, instance, raw=False, **kwargs) -> None:
    instance._previous_text = "" if raw else _previous(sender, instance, "text")


@receiver(pre_save, sender=Actor)
@receiver(pre_save, sender=WeaponsSystem)
def _remember_name(sender, instance, raw=False, **kwargs) -> None:
    instance._previous_name = "" if raw else _previous(sender, instance, "name")


@receiver(post_save, sender=ActorAlias)
@receiver(post_delete, sender=ActorAlias)
def _actor_alias_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _queue(texts=[instance.text, getattr(instance, "_previous_text", "")], actor_ids=[instance.actor_id])


@receiver(post_save, sender=SystemAlias)
@receiver(post_delete, sender=SystemAlias)
def _system_alias_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _queue(texts=[instance.text, getattr(instance, "_previous_text", "")], system_ids=[instance.system_id])


@receiver(post_save, sender=ActorRole)
@receiver(post_delete, sender=ActorRole)
def _role_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _queue(texts=list(instance.descriptions or []), actor_ids=[instance.actor_id])


@receiver(post_save, sender=Actor)
def _actor_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw or (created and instance.status == Actor.Status.CANDIDATE):
        return
    _queue(texts=[instance.name, getattr(instance, "_previous_name", "")], actor_ids=[instance.pk])


@receiver(post_save, sender=WeaponsSystem)
def _system_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _queue(texts=[instance.name, getattr(instance, "_previous_name", "")], system_ids=[instance.pk])


@receiver(post_save, sender=DisputeParty)
@receiver(post_delete, sender=DisputeParty)
def _party_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _queue(actor_ids=[instance.actor_id])


@receiver(post_save, sender=Dispute)
def _dispute_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _queue(texts=list(instance.keywords or []))
