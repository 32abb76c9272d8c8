"""import_mpn_profiles at the registry's size (issue 12: 2,400 rows with plain passwords took
over 15 minutes): a registry export carries the sign-ins' password hashes
(``pmc_password_hash``, Django's format, checked); plain passwords are hashed in parallel
processes; the file is written in bulk, all or nothing, and a second run changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command

from enrollment import password_hashing as command
from enrollment.models import MpnProfile, PmcAccount
from enrollment.registry import get_registry

pytestmark = pytest.mark.django_db

COLUMNS = "mpn_id,company_name,country,status,pmc_username"


def run(tmp_path, header: str, body: str, *args) -> str:
    path = tmp_path / "profiles.csv"
    path.write_text(f"{COLUMNS},{header}\n{body}", encoding="utf-8")
    out = StringIO()
    call_command("import_mpn_profiles", str(path), *args, stdout=out)
    return out.getvalue()


def test_hashes_are_stored_as_given_and_sign_in_works(tmp_path):
    encoded = make_password("Pw-1")
    body = f"4810001,Contoso Taiwan,TW,active,contoso,{encoded}\n4810002,Contoso GmbH,DE,active,contoso,{encoded}\n"
    assert "2 created" in run(tmp_path, "pmc_password_hash", body)
    assert PmcAccount.objects.get().password == encoded  # not hashed again
    assert [r.mpn_id for r in get_registry().sign_in("contoso", "Pw-1")] == ["4810001", "4810002"]
    assert "0 created, 0 updated, 2 unchanged" in run(tmp_path, "pmc_password_hash", body)
    assert PmcAccount.objects.get().password == encoded


def test_both_columns_one_secret_a_row(tmp_path):
    body = f"4810001,Contoso,TW,active,contoso,Pw-1,\n4810002,Litware,TW,active,litware,,{make_password('Pw-2')}\n"
    assert "2 created" in run(tmp_path, "pmc_password,pmc_password_hash", body)
    assert get_registry().sign_in("contoso", "Pw-1") and get_registry().sign_in("litware", "Pw-2")


@pytest.mark.parametrize(
    "header,row,message",
    [
        (
            "pmc_password_hash",
            "4810009,Contoso,TW,active,contoso,not-a-hash\n",
            "line 2: pmc_password_hash must be",
        ),
        (
            "pmc_password_hash",
            "4810009,Contoso,TW,active,contoso,!unusable\n",
            "line 2: pmc_password_hash must be",
        ),
        (
            "pmc_password_hash",
            "4810009,Contoso,TW,active,contoso,unknown$1$x\n",
            "line 2: pmc_password_hash must be",
        ),
        ("pmc_password,pmc_password_hash", "4810009,Contoso,TW,active,contoso,Pw,md5$a$b\n", "not both"),
        ("pmc_password_hash", "4810009,Contoso,TW,active,,md5$a$b\n", "line 2: give both"),
    ],
)
def test_a_bad_hash_is_reported_and_nothing_is_loaded(tmp_path, header, row, message):
    with pytest.raises(CommandError) as exc:
        run(tmp_path, header, row)
    assert message in str(exc.value)
    assert not MpnProfile.objects.exists() and not PmcAccount.objects.exists()


def test_plain_passwords_are_hashed_in_parallel_processes(tmp_path, monkeypatch):
    pools = []
    real = command.ProcessPoolExecutor
    monkeypatch.setattr(command, "ProcessPoolExecutor", lambda *a, **kw: pools.append(a) or real(*a, **kw))
    n = command.PARALLEL_FROM
    body = "".join(f"{4810100 + i},Company {i},TW,active,user{i},Pw-{i}\n" for i in range(n))

    assert f"{n} created" in run(tmp_path, "pmc_password", body, "--workers", "2")

    assert pools == [(2,)]
    assert PmcAccount.objects.count() == n
    assert all(get_registry().sign_in(f"user{i}", f"Pw-{i}") for i in (0, n - 1))
    # A second run checks the stored hashes (in parallel too) and changes nothing.
    assert f"0 created, 0 updated, {n} unchanged" in run(tmp_path, "pmc_password", body, "--workers", "2")


def test_a_changed_password_is_hashed_again(tmp_path):
    run(tmp_path, "pmc_password", "4810001,Contoso,TW,active,contoso,Pw-1\n")
    before = PmcAccount.objects.get().password
    run(tmp_path, "pmc_password_hash", f"4810001,Contoso,TW,active,contoso,{make_password('Pw-2')}\n")
    assert PmcAccount.objects.get().password != before
    assert get_registry().sign_in("contoso", "Pw-2")
