"""A short server-side cache of a campaign's computed results, for the public results page.

The public page /khao-sat/<code>/ket-qua/ may be opened by many residents at once (a QR code
on a poster, a link shared on Zalo); its indices change only when a response arrives. The
computed `CampaignResults` (labels in the page's language) is kept in Django's cache for
THANTHIEN_SURVEY_RESULTS_CACHE_SECONDS and dropped as soon as a response of the campaign is
saved or deleted, or the campaign itself changes (signals connected in apps.py; the
services that write in bulk call `invalidate_campaign_results` themselves). 0 turns the
cache off. Staff pages always count afresh.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "survey-results-generation:{pk}"


def _generation_key(campaign_id: int) -> str:
    return GENERATION_KEY.format(pk=campaign_id)


def _results_key(campaign, language: str) -> str:
    # The generation changes when a response arrives; updated_at when the campaign is saved
    # (so a change made by any path shows), the public code tells campaigns apart for good.
    generation = cache.get(_generation_key(campaign.pk))
    if generation is None:
        # Never set, or evicted: start a new generation, so that no entry computed under an
        # earlier one can match again.
        cache.add(_generation_key(campaign.pk), secrets.token_hex(8), timeout=None)
        generation = cache.get(_generation_key(campaign.pk))
    stamp = int(campaign.updated_at.timestamp() * 1_000_000) if campaign.updated_at else 0
    return f"survey-results:{campaign.pk}:{campaign.public_code}:{stamp}:{generation}:{language}"


def invalidate_campaign_results(campaign_id: int | None) -> None:
    """Forget the cached results of the campaign (in every language)."""
    if campaign_id is None:
        return
    cache.set(_generation_key(campaign_id), secrets.token_hex(8), timeout=None)


def cached_campaign_results(campaign):
    """The campaign's results, from the cache when computed in the last few minutes."""
    from thanthien.surveys.results import campaign_results

    seconds = settings.THANTHIEN_SURVEY_RESULTS_CACHE_SECONDS
    if seconds <= 0:
        return campaign_results(campaign)
    key = _results_key(campaign, get_language() or settings.LANGUAGE_CODE)
    results = cache.get(key)
    if results is None:
        results = campaign_results(campaign)
        cache.set(key, results, timeout=seconds)
    return results


def _invalidate_now_and_on_commit(campaign_id: int | None) -> None:
    # Now, and again once the transaction commits: a page computed in between (from the
    # data before the commit) must not stay in the cache.
    invalidate_campaign_results(campaign_id)
    transaction.on_commit(lambda: invalidate_campaign_results(campaign_id))


def _response_changed(sender, instance, **kwargs) -> None:
    _invalidate_now_and_on_commit(instance.campaign_id)


def _campaign_changed(sender, instance, **kwargs) -> None:
    _invalidate_now_and_on_commit(instance.pk)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from thanthien.surveys.models import Campaign, Response, ResponseScore

    uid = "surveys.results_cache"
    for model, handler in (
        (Response, _response_changed),
        (ResponseScore, _response_changed),
        (Campaign, _campaign_changed),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
