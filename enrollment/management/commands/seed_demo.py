"""Demo data for `make run`: the Partner Network registry, work accounts in several
countries, program staff. Safe to run again: it creates what is missing and leaves
the rest as it is. Refuses to run without DEBUG unless --force (known passwords)."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from enrollment.management import direct_bill_demo
from enrollment.migrations import _agreements_2026_10 as shipped_agreements
from enrollment.models import AgreementTemplate, Program
from enrollment.permissions import program_staff_permissions
from partnercenter.accounts.models import Role, Tenant, TenantDomain, User

CSV = Path(settings.BASE_DIR) / "demo" / "mpn_profiles.csv"
# Commerce (billing): the price list the demo's partners see, in every market they are in.
PRICE_LIST = Path(settings.BASE_DIR) / "demo" / "price_list.csv"
PARTNER_PASSWORD = "Demo-Partner-2026"  # noqa: S105 - demo data, printed on purpose

TENANTS = [
    # prefix, company, country, verified domain, admin first/last name
    ("contosotw", "Contoso Taiwan Ltd.", "TW", "contoso.com.tw", "Mei", "Lin"),
    ("fabrikamde", "Fabrikam Deutschland GmbH", "DE", "fabrikam.de", "Jonas", "Becker"),
    ("northwindus", "Northwind Traders LLC", "US", "northwindtraders.com", "Avery", "Johnson"),
    ("tailspincn", "Tailspin Toys (Shanghai) Co. Ltd.", "CN", "tailspintoys.cn", "Wei", "Zhang"),
    ("wingtipru", "OOO Wingtip Toys", "RU", "wingtiptoys.ru", "Anna", "Ivanova"),
    # Already enrolled and active (made through the services below): a provider and a reseller.
    ("adatumde", "Adatum Distribution GmbH", "DE", "adatum.de", "Lukas", "Schmidt"),
    ("treyde", "Trey Research GmbH", "DE", "treyresearch.de", "Sophie", "Wagner"),
    # A customer company with its own, non-CSP tenant.
    ("woodgrovede", "Woodgrove Bank AG", "DE", "woodgrovebank.de", "Paul", "Fischer"),
    # Direct bill: an applicant ready to apply, and an active direct-bill partner.
    *direct_bill_demo.TENANTS,
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
    ("adatum", "Adatum-PMC-2026"),
    ("trey", "Trey-PMC-2026"),
    *direct_bill_demo.PMC,
]

# The demo's partner network: (tenant prefix, MPN ID, contact email, street, indirect provider?)
ACTIVE_PARTNERS = [
    ("adatumde", "4870001", "lukas.schmidt@adatum.de", "Industriestraße 12", True),
    ("treyde", "4880001", "sophie.wagner@treyresearch.de", "Leopoldstraße 40", False),
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
        # --- Commerce: the price list (idempotent: a second run reports every row unchanged).
        call_command("import_price_list", str(PRICE_LIST), stdout=self.stdout)
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
                    user.user_permissions.add(*program_staff_permissions())
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
        self._agreement_templates()
        self._programs()
        self._partner_network()
        # Made while applications are open (a fresh database's default is the setting).
        with override_settings(DIRECT_BILL_APPLICATIONS_OPEN=True):
            direct_bill_demo.seed_active_direct_bill_partner(self.stdout)
        # Commerce: customers of the provider and reseller and of the direct-bill partner.
        from billing.demo import seed_commerce

        seed_commerce(self.stdout, password=PARTNER_PASSWORD)

    def _agreement_templates(self):
        """The agreements `migrate` ships (enrollment 0004), in case this database lost them;
        on a migrated database nothing is new. Never overwritten: staff edit them in the admin."""
        created = shipped_agreements.ship(AgreementTemplate)
        languages = ", ".join(sorted({language for _program, language in shipped_agreements.TEMPLATES}))
        self.stdout.write(
            f"Agreement templates: {shipped_agreements.VERSION} in {languages} ({created} new)."
        )

    def _programs(self):
        """Direct-bill applications open in the demo, through the service (an audit row names
        the reviewer), unless staff have opened or closed them here already."""
        from enrollment.programs import ProgramSetting, takes_applications
        from enrollment.services.programs import program_set_applications_open

        if not ProgramSetting.objects.filter(program=Program.DIRECT_BILL).exists() and not takes_applications(
            Program.DIRECT_BILL
        ):
            program_set_applications_open(
                actor=User.objects.get(email="reviewer@partners.localhost"),
                program=Program.DIRECT_BILL,
                applications_open=True,
                reason="Open in the demo.",
            )
        state = "open" if takes_applications(Program.DIRECT_BILL) else "closed"
        self.stdout.write(f"Direct-bill applications: {state} (staff change it on the review page Programs).")

    def _partner_network(self):
        """Adatum (an indirect provider) and Trey Research (an indirect reseller), enrolled
        and active, so that the provider, reseller and customer pages can be tried at once.
        They go through the same services as a real applicant and reviewer."""
        from enrollment.models import Enrollment, Partner
        from enrollment.selectors import agreement_template_for
        from enrollment.services.agreements import agreement_accept
        from enrollment.services.application import enrollment_submit
        from enrollment.services.checks import enrollment_checks_run
        from enrollment.services.confirmation import email_verification_confirm
        from enrollment.services.review import check_decide, enrollment_approve
        from partnercenter.notifications.models import Notification
        from relationships.services.providers import provider_authorize, provider_listing_update

        reviewer = User.objects.get(email="reviewer@partners.localhost")
        for prefix, mpn_id, contact_email, street, is_provider in ACTIVE_PARTNERS:
            admin = User.objects.get(email=f"admin@{prefix}.onmicrosoft.com")
            partner = Partner.objects.filter(tenant=admin.tenant).first()
            if partner is None or not partner.is_active_in():
                contact = {
                    "first_name": admin.first_name,
                    "last_name": admin.last_name,
                    "email": contact_email,
                    "phone": "+49 89 1234567",
                }
                enrollment = enrollment_submit(
                    actor=admin,
                    application={
                        "program": "indirect_reseller",
                        "mpn_id": mpn_id,
                        "legal_business_profile": {
                            "company_name": admin.tenant.name,
                            "address": {
                                "line1": street,
                                "city": "München",
                                "postal_code": "80331",
                                "country": "DE",
                            },
                        },
                        "primary_contact": contact,
                        "support_profile": {
                            "email": f"support@{contact_email.split('@')[1]}",
                            "phone": "+49 89 1234568",
                        },
                        "bank_account": {"holder_name": admin.tenant.name, "iban": "DE89370400440532013000"},
                        "language": "en",
                    },
                )
                # The link went to the primary contact; the demo follows it for them.
                link = (
                    Notification.objects.filter(template="enrollment_verify_email", recipient=contact_email)
                    .latest("created_at")
                    .context["verify_url"]
                )
                email_verification_confirm(token=link.rstrip("/").rsplit("/", 1)[1])
                enrollment_checks_run(enrollment_id=enrollment.pk)
                reviewer = User.objects.get(pk=reviewer.pk)  # fresh permission cache
                for check in Enrollment.objects.get(pk=enrollment.pk).checks.exclude(
                    result__in=["passed", "waived"]
                ):
                    check_decide(
                        actor=reviewer,
                        enrollment=enrollment,
                        kind=check.kind,
                        result="waived",
                        note="Demo data: verified outside the portal.",
                    )
                enrollment_approve(actor=reviewer, enrollment=enrollment, note="Demo data")
                template = agreement_template_for(Program.INDIRECT_RESELLER, ["en"])
                agreement_accept(actor=admin, template_id=template.pk, primary_contact=contact)
                partner = Partner.objects.get(tenant=admin.tenant)
            if is_provider and not hasattr(partner, "indirect_provider"):
                provider_authorize(actor=User.objects.get(pk=reviewer.pk), partner=partner, authorized=True)
                provider_listing_update(
                    actor=admin,
                    data={
                        "countries": ["DE", "AT", "CH"],
                        "offers": ["technical_training", "marketing_help", "financing"],
                        "description": "Cloud distribution for the DACH region: training, marketing and credit terms.",
                        "website": "https://www.adatum.de",
                    },
                )
        self.stdout.write(
            "Partner network: Adatum Distribution (admin@adatumde…) is an active indirect provider; "
            "Trey Research (admin@treyde…) an active indirect reseller; Woodgrove Bank (admin@woodgrovede…) "
            "a customer tenant."
        )

    @staticmethod
    def _user(email, password, **fields):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, password, **fields)
        return user
