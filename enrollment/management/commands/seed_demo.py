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

from enrollment.models import AgreementTemplate, Program
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
    # Already enrolled and active (made through the services below): a provider and a reseller.
    ("adatumde", "Adatum Distribution GmbH", "DE", "adatum.de", "Lukas", "Schmidt"),
    ("treyde", "Trey Research GmbH", "DE", "treyresearch.de", "Sophie", "Wagner"),
    # A customer company with its own, non-CSP tenant.
    ("woodgrovede", "Woodgrove Bank AG", "DE", "woodgrovebank.de", "Paul", "Fischer"),
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
]

# The demo's partner network: (tenant prefix, MPN ID, contact email, street, indirect provider?)
ACTIVE_PARTNERS = [
    ("adatumde", "4870001", "lukas.schmidt@adatum.de", "Industriestraße 12", True),
    ("treyde", "4880001", "sophie.wagner@treyresearch.de", "Leopoldstraße 40", False),
]

AGREEMENT_VERSION = "2026-10"
AGREEMENT_TEMPLATES = {
    "en": (
        "Microsoft Partner Agreement",
        "1. Parties and scope. This agreement is between Microsoft and the company that accepts it "
        "(the partner). It governs the partner's participation in the Cloud Solution Provider program "
        "as an indirect reseller, selling online services to customers through an authorized indirect "
        "provider.\n\n"
        "2. Obligations of the partner. The partner keeps its business profile, primary contact and "
        "support details current; gives customers first-level support or arranges it with its indirect "
        "provider; and complies with applicable laws, including anti-corruption and export laws.\n\n"
        "3. Customer relationships. The partner acts as reseller of record only for customers that "
        "authorized it. Administrator access to a customer's tenant is used only to provide the services "
        "the customer asked for.\n\n"
        "4. Data protection. The partner processes customer data only on the customer's instructions "
        "and protects it with appropriate technical and organizational measures.\n\n"
        "5. Term and termination. The agreement takes effect on acceptance and continues until either "
        "party ends it with 30 days' written notice, or at once for a material breach.",
    ),
    "zh-hant": (
        "Microsoft 合作夥伴合約",
        "1. 當事人與範圍。本合約由 Microsoft 與接受本合約之公司（合作夥伴）簽訂，規範合作夥伴以間接轉售商"
        "身分參與雲端解決方案提供者計畫，透過經授權之間接提供者向客戶銷售線上服務。\n\n"
        "2. 合作夥伴之義務。合作夥伴應隨時更新其商業設定檔、主要連絡人及支援資訊；為客戶提供第一線支援，"
        "或與其間接提供者安排支援；並遵守適用法律，包括反貪腐及出口管制法規。\n\n"
        "3. 客戶關係。合作夥伴僅得為已授權之客戶擔任記錄轉售商。對客戶租用戶之系統管理員存取權，僅得用於"
        "提供客戶所要求之服務。\n\n"
        "4. 資料保護。合作夥伴僅得依客戶指示處理客戶資料，並以適當之技術及組織措施加以保護。\n\n"
        "5. 期間與終止。本合約自接受時生效，並持續有效，直至任一方以 30 天書面通知終止，或因重大違約而立即終止。",
    ),
    "zh-hans": (
        "Microsoft 合作伙伴协议",
        "1. 协议双方与范围。本协议由 Microsoft 与接受本协议的公司（合作伙伴）签订，规范合作伙伴以间接经销商"
        "身份参与云解决方案提供商计划，通过经授权的间接提供商向客户销售联机服务。\n\n"
        "2. 合作伙伴的义务。合作伙伴应及时更新其业务资料、主要联系人和支持信息；为客户提供一线支持，"
        "或与其间接提供商安排支持；并遵守适用法律，包括反腐败和出口管制法规。\n\n"
        "3. 客户关系。合作伙伴仅可为已授权的客户担任记录经销商。对客户租户的管理员访问权限仅可用于"
        "提供客户所要求的服务。\n\n"
        "4. 数据保护。合作伙伴仅可按照客户的指示处理客户数据，并采取适当的技术和组织措施加以保护。\n\n"
        "5. 期限与终止。本协议自接受之日起生效，并持续有效，直至任何一方提前 30 天书面通知终止，或因重大违约而立即终止。",
    ),
    "ru": (
        "Соглашение с партнером Майкрософт",
        "1. Стороны и предмет. Настоящее соглашение заключается между Майкрософт и компанией, которая его "
        "принимает (партнером). Оно регулирует участие партнера в программе Cloud Solution Provider в "
        "качестве непрямого реселлера, продающего онлайн-службы клиентам через авторизованного непрямого "
        "поставщика.\n\n"
        "2. Обязанности партнера. Партнер поддерживает в актуальном состоянии свой бизнес-профиль, данные "
        "основного контакта и службы поддержки; оказывает клиентам поддержку первого уровня или организует "
        "ее вместе с непрямым поставщиком; соблюдает применимое законодательство, в том числе "
        "антикоррупционное и экспортное.\n\n"
        "3. Отношения с клиентами. Партнер выступает реселлером только для клиентов, которые его "
        "авторизовали. Административный доступ к клиенту используется лишь для оказания запрошенных услуг.\n\n"
        "4. Защита данных. Партнер обрабатывает данные клиентов только по их указаниям и защищает их "
        "надлежащими техническими и организационными мерами.\n\n"
        "5. Срок и расторжение. Соглашение вступает в силу с момента принятия и действует, пока одна из "
        "сторон не расторгнет его письменным уведомлением за 30 дней, либо немедленно при существенном нарушении.",
    ),
}


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
        self._agreement_templates()
        self._partner_network()

    def _agreement_templates(self):
        """The current Microsoft Partner Agreement for indirect resellers in every language
        the portal offers; created once, never overwritten (staff edit them in the admin)."""
        created = 0
        for language, (name, body) in AGREEMENT_TEMPLATES.items():
            _template, was_created = AgreementTemplate.objects.get_or_create(
                program=Program.INDIRECT_RESELLER,
                version=AGREEMENT_VERSION,
                language=language,
                defaults={"name": name, "body": body, "is_current": True},
            )
            created += was_created
        self.stdout.write(
            f"Agreement templates: {AGREEMENT_VERSION} in {', '.join(AGREEMENT_TEMPLATES)} ({created} new)."
        )

    def _partner_network(self):
        """Adatum (an indirect provider) and Trey Research (an indirect reseller), enrolled
        and active, so that the provider, reseller and customer pages can be tried at once.
        They go through the same services as a real applicant and reviewer."""
        from enrollment.models import Enrollment, Partner
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
                template = AgreementTemplate.objects.get(
                    program=Program.INDIRECT_RESELLER, language="en", version=AGREEMENT_VERSION
                )
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
