"""Gateways by channel, chosen in settings.THANTHIEN_NOTIFY_GATEWAYS ({channel: name})."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from thanthien.notify.gateways.base import Gateway, SendResult
from thanthien.notify.gateways.console import ConsoleGateway
from thanthien.notify.gateways.email import EmailGateway
from thanthien.notify.gateways.esms import EsmsGateway
from thanthien.notify.gateways.facebook import FacebookGateway
from thanthien.notify.gateways.webhook import WebhookSmsGateway
from thanthien.notify.gateways.zalo_oa import ZaloOaGateway
from thanthien.notify.gateways.zns import ZnsGateway

GATEWAYS: dict[str, dict[str, type[Gateway]]] = {
    "sms": {"esms": EsmsGateway, "webhook": WebhookSmsGateway, "console": ConsoleGateway},
    "zalo": {"zns": ZnsGateway, "console": ConsoleGateway},
    "email": {"smtp": EmailGateway, "console": ConsoleGateway},
    "zalo_oa": {"zalo_oa": ZaloOaGateway, "console": ConsoleGateway},
    "facebook": {"facebook": FacebookGateway, "console": ConsoleGateway},
}

__all__ = ["GATEWAYS", "Gateway", "SendResult", "gateway_for"]


def gateway_for(channel: str) -> Gateway:
    name = settings.THANTHIEN_NOTIFY_GATEWAYS.get(channel, "")
    try:
        return GATEWAYS[channel][name]()
    except KeyError as exc:
        raise ImproperlyConfigured(
            f"THANTHIEN_NOTIFY_GATEWAYS[{channel!r}] = {name!r}: "
            f"choose one of {sorted(GATEWAYS.get(channel, {}))}"
        ) from exc
