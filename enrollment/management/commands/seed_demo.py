"""Demo data for `make run`: the Partner Network registry, work accounts in several
countries, program staff. Safe to run again: it creates what is missing and leaves
the rest as it is. Refuses to run without DEBUG unless --force (known passwords)."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from partnercenter.accounts.models import Role, Tenant, TenantDomain, User

CSV = Path(settings.BASE_DIR) / "demo" / "mpn_profiles.csv"
PARTNER_PASSWORD = "Demo-Partner-2026"  # noqa: S105 - demo data, printed on purpose

TENANTS = [
    # prefix, company, country, verified domain, admin first/last name
    ("contosotw", "Contoso Taiwan Ltd.", "TW", "contoso.com.tw", "Mei", "Lin"),
    ("fabrikamde", "Fabrikam Deutschland GmbH", "DE", "fabrikam.de", "Jonas", "Becker"),
    ("northwindus", "Northwind Traders LLC", "US", "northwindtraders.com", "Avery", "Johnson"),
    ("tailspincn", "Tailspin Toys (Shanghai) Co. Ltd.", "CN", "tailspintoys.cn", "Wei", "Zhang"),
    ("wingtipru", "OOO Wingtip Toys", "RU", "wingtiptoys.ru", "Anna", "Ivanova"),
]
STAFF = [
    ("reviewer@partners.localhost", "Demo-Reviewer-2026", "Riley", "Reviewer", False),
    ("admin@partners.localhost", "Demo-Admin-2026", "Ada", "Admin", True),
]
PMC = [
    ("contoso", "Contoso-PMC-2026"),
    ("fabrikam", "Fabrikam-PMC-2026"),
    ("northwind", "Northwind-PMC-2026"),
    ("tailspin", "Tailspin-PMC-2026"),
    ("wingtip", "Wingtip-PMC-2026"),
]


class Command(BaseCommand):
    help = "Load demo data (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with published passwords; it runs only with DEBUG on (or --force)."
            )
        call_command("import_mpn_profiles", str(CSV), stdout=self.stdout)
        logins = []
        with transaction.atomic():
            for prefix, company, country, domain, first, last in TENANTS:
                tenant, _created = Tenant.objects.get_or_create(
                    domain=f"{prefix}.onmicrosoft.com", defaults={"name": company, "country": country}
                )
                TenantDomain.objects.get_or_create(
                    name=domain, defaults={"tenant": tenant, "verified_at": timezone.now()}
                )
                email = f"admin@{prefix}.onmicrosoft.com"
                self._user(
                    email,
                    PARTNER_PASSWORD,
                    first_name=first,
                    last_name=last,
                    tenant=tenant,
                    roles=[Role.GLOBAL_ADMIN.value],
                )
                logins.append((email, PARTNER_PASSWORD, f"global admin, {company} ({country})"))
            contoso = Tenant.objects.get(domain="contosotw.onmicrosoft.com")
            self._user(
                "sales@contosotw.onmicrosoft.com",
                PARTNER_PASSWORD,
                first_name="Chen",
                last_name="Wang",
                tenant=contoso,
                roles=[Role.SALES_AGENT.value],
            )
            logins.append(
                (
                    "sales@contosotw.onmicrosoft.com",
                    PARTNER_PASSWORD,
                    "sales agent at Contoso Taiwan (may not enroll)",
                )
            )
            for email, password, first, last, superuser in STAFF:
                user = self._user(
                    email, password, first_name=first, last_name=last, is_staff=True, is_superuser=superuser
                )
                if not superuser:
                    user.user_permissions.add(
                        *Permission.objects.filter(
                            content_type__app_label="enrollment",
                            codename__in=[
                                "review_enrollment",
                                "view_enrollment",
                                "view_partner",
                                "view_mpnprofile",
                                "change_mpnprofile",
                                "add_mpnprofile",
                                "view_verificationcheck",
                            ],
                        )
                    )
                logins.append(
                    (
                        email,
                        password,
                        "program staff (superuser)" if superuser else "program staff (reviewer)",
                    )
                )
        self.stdout.write("\nSign in at the portal with:")
        for email, password, what in logins:
            self.stdout.write(f"  {email:<40} {password:<20} {what}")
        self.stdout.write("\nPartner Membership Center sign-ins (enrollment, step MPN ID):")
        for username, password in PMC:
            self.stdout.write(f"  {username:<40} {password}")
        self.stdout.write("")

    @staticmethod
    def _user(email, password, **fields):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, password, **fields)
        return user
