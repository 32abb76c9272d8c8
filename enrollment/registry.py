"""The Partner Network (MPN) registry behind one interface.

The portal asks the registry two things: look up one MPN ID, and list the company
profiles a Partner Membership Center sign-in may use. ``LocalRegistry`` answers from
the portal's own tables; a client for a real registry implements the same two methods
and is named in the ``PARTNER_NETWORK_REGISTRY`` setting.
"""

from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.module_loading import import_string

from .models import MpnProfile, PmcAccount


@dataclass(frozen=True)
class MpnRecord:
    mpn_id: str
    company_name: str
    country: str
    status: str

    @property
    def is_active(self) -> bool:
        return self.status == MpnProfile.Status.ACTIVE


class PartnerNetworkRegistry(Protocol):
    def lookup(self, mpn_id: str) -> MpnRecord | None: ...

    def sign_in(self, username: str, password: str) -> list[MpnRecord] | None:
        """The profiles this sign-in may use, or None if the credentials are wrong."""


def _record(profile: MpnProfile) -> MpnRecord:
    return MpnRecord(profile.mpn_id, profile.company_name, profile.country.code, profile.status)


# Checking a made-up password against this keeps an unknown username as slow as a known
# one, so sign-in timing does not tell which usernames exist.
_DUMMY_HASH = None


class LocalRegistry:
    def lookup(self, mpn_id: str) -> MpnRecord | None:
        mpn_id = (mpn_id or "").strip()
        if not mpn_id.isdigit():
            return None
        profile = MpnProfile.objects.filter(mpn_id=mpn_id).first()
        return _record(profile) if profile else None

    def sign_in(self, username: str, password: str) -> list[MpnRecord] | None:
        global _DUMMY_HASH
        account = PmcAccount.objects.filter(username__iexact=(username or "").strip()).first()
        if account is None:
            _DUMMY_HASH = _DUMMY_HASH or make_password("not-a-real-password")
            PmcAccount(password=_DUMMY_HASH).check_password(password or "")
            return None
        if not account.check_password(password or ""):
            return None
        return [_record(p) for p in account.profiles.order_by("mpn_id")]


@cache
def _registry_class(path: str):
    return import_string(path)


def get_registry() -> PartnerNetworkRegistry:
    return _registry_class(settings.PARTNER_NETWORK_REGISTRY)()
