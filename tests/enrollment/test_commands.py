"""import_mpn_profiles and seed_demo, as API.md "Operations" describes them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from enrollment.models import MpnProfile, PmcAccount
from enrollment.registry import get_registry
from partnercenter.accounts.models import Tenant, User

pytestmark = pytest.mark.django_db

HEADER = "mpn_id,company_name,country,status,pmc_username,pmc_password\n"


def write(tmp_path, body: str):
    path = tmp_path / "profiles.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


def run(path) -> str:
    out = StringIO()
    call_command("import_mpn_profiles", path, stdout=out)
    return out.getvalue()


class TestImport:
    def test_loads_profiles_and_pmc_sign_ins(self, tmp_path):
        path = write(
            tmp_path,
            "4810001,Contoso Taiwan,TW,active,contoso,Pw-1\n4810002,Contoso GmbH,de,inactive,contoso,Pw-1\n4860001,Litware,TW,active,,\n",
        )
        assert "3 created" in run(path)
        assert MpnProfile.objects.get(mpn_id="4810002").country.code == "DE"
        records = get_registry().sign_in("contoso", "Pw-1")
        assert [r.mpn_id for r in records] == ["4810001", "4810002"]
        assert get_registry().sign_in("contoso", "wrong") is None
        assert PmcAccount.objects.get().password != "Pw-1"  # hashed

    def test_running_twice_changes_nothing(self, tmp_path):
        path = write(tmp_path, "4810001,Contoso Taiwan,TW,active,contoso,Pw-1\n")
        run(path)
        password_hash = PmcAccount.objects.get().password
        assert "0 created, 0 updated, 1 unchanged" in run(path)
        assert PmcAccount.objects.get().password == password_hash

    def test_updates_by_mpn_id(self, tmp_path):
        run(write(tmp_path, "4810001,Contoso Taiwan,TW,active,contoso,Pw-1\n"))
        assert "1 updated" in run(write(tmp_path, "4810001,Contoso Taiwan Ltd.,TW,inactive,contoso,Pw-2\n"))
        profile = MpnProfile.objects.get()
        assert (profile.company_name, profile.status) == ("Contoso Taiwan Ltd.", "inactive")
        assert get_registry().sign_in("contoso", "Pw-2")

    @pytest.mark.parametrize(
        "row,message",
        [
            ("48x,Contoso,TW,active,,\n", "line 3: mpn_id"),
            ("4810009,Contoso,XX,active,,\n", "line 3: country"),
            ("4810009,Contoso,TW,dormant,,\n", "line 3: status"),
            ("4810009,,TW,active,,\n", "line 3: company_name"),
            ("4810009,Contoso,TW,active,user,\n", "line 3: give both"),
            ("4810001,Again,TW,active,,\n", "line 3: mpn_id 4810001 is already on line 2"),
            (
                "4810009,Contoso,TW,active,contoso,Other\n",
                "line 3: pmc_username contoso has another password",
            ),
            ("4810009,Contoso,TW\n", "line 3: expected 6 columns"),
        ],
    )
    def test_a_bad_row_is_reported_and_nothing_is_loaded(self, tmp_path, row, message):
        path = write(tmp_path, "4810001,Contoso Taiwan,TW,active,contoso,Pw-1\n" + row)
        with pytest.raises(CommandError) as exc:
            run(path)
        assert message in str(exc.value)
        assert not MpnProfile.objects.exists() and not PmcAccount.objects.exists()

    def test_wrong_header(self, tmp_path):
        path = tmp_path / "x.csv"
        path.write_text("id,name\n1,x\n")
        with pytest.raises(CommandError, match="line 1"):
            run(str(path))

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="Cannot open"):
            run(str(tmp_path / "missing.csv"))


class TestSeedDemo:
    def test_loads_the_demo_and_is_safe_to_run_again(self, settings):
        settings.DEBUG = True
        out = StringIO()
        call_command("seed_demo", stdout=out)
        counts = (Tenant.objects.count(), User.objects.count(), MpnProfile.objects.count())
        call_command("seed_demo", stdout=StringIO())
        assert (Tenant.objects.count(), User.objects.count(), MpnProfile.objects.count()) == counts
        countries = set(MpnProfile.objects.values_list("country", flat=True))
        assert {"TW", "CN", "RU", "DE", "US"} <= countries
        assert MpnProfile.objects.filter(status="inactive").exists()
        assert {"TW", "CN", "RU", "DE", "US"} <= set(Tenant.objects.values_list("country", flat=True))
        reviewer = User.objects.get(email="reviewer@partners.localhost")
        assert reviewer.is_staff and reviewer.has_perm("enrollment.review_enrollment")
        assert "admin@contosotw.onmicrosoft.com" in out.getvalue()

    def test_the_demo_partner_network_is_made_through_the_services(
        self, settings, django_capture_on_commit_callbacks
    ):
        from enrollment.models import Enrollment
        from relationships.models import IndirectProvider

        settings.DEBUG = True
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        adatum = Enrollment.objects.get(partner__tenant__domain="adatumde.onmicrosoft.com")
        trey = Enrollment.objects.get(partner__tenant__domain="treyde.onmicrosoft.com")
        assert adatum.status == trey.status == "active"
        kinds = list(adatum.events.values_list("kind", flat=True))
        assert kinds[0] == "submitted" and "email_confirmed" in kinds and kinds[-1] == "agreement_accepted"
        assert IndirectProvider.objects.get(partner=adatum.partner).authorized
        assert not IndirectProvider.objects.filter(partner=trey.partner).exists()
        assert not Enrollment.objects.filter(partner__tenant__domain="woodgrovede.onmicrosoft.com").exists()

    def test_refuses_without_debug(self, settings):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="DEBUG"):
            call_command("seed_demo", stdout=StringIO())
        assert not User.objects.exists()
