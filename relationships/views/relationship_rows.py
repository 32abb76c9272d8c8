"""The provider-reseller relationships' rows as HTML, written here and not in templates
(issue 12: a page of 25 resellers, each row with its GDAP cell included as a template, was
a third of the Indirect resellers page's time). Every value is escaped as the templates'
autoescape did (``partnercenter.core.markup.escaped``); the words are translated, the
formats read and the addresses reversed once a page. ``test_relationship_rows`` holds the
HTML equal to what the templates wrote."""

from django.middleware.csrf import get_token
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from partnercenter.core import l10n
from partnercenter.core.countries import country_choices
from partnercenter.core.dates import DateWriter
from partnercenter.core.markup import address_of_each, escaped

from ..models import GdapStatus, RelationshipState
from ..services.admin_access import GDAP_ROLES

RESELLER_ROW = (
    '<tr><td><strong>{name}</strong><br><small class="muted">{mpn_label} {mpn}</small></td>'
    "<td>{country}</td>"
    '<td><span class="badge status-{state}">{state_label}</span></td>'
    "<td>{access}</td>"
    '<td><time datetime="{established_iso}">{established_on}</time></td>'
    "<td>{gdap}{request}</td></tr>"
)
GDAP_ITEM = (
    '<li><strong>{name}</strong> <span class="badge status-{status}">{status_label}</span>'
    '<br><small class="muted">{roles} · {duration}{auto_extend}{ends}</small>{actions}</li>'
)
ACTION = (
    '<form method="post" action="{url}">{csrf}<button class="{css}" type="submit">{label}</button></form>'
)


class RelationshipRows:
    """What the rows of one page share: the reader's words and formats, the addresses, the
    CSRF field of the forms (read from the request only if a row has a form)."""

    def __init__(self, request, *, can_act: bool):
        self.request, self.can_act, self._csrf = request, can_act, None
        self.countries = dict(country_choices())
        self.states = {value: escaped(label) for value, label in RelationshipState.choices}
        self.statuses = {value: escaped(label) for value, label in GdapStatus.choices}
        self.dates = DateWriter("DATE_FORMAT")
        self.urls = {
            name: address_of_each(f"relationships:{name}")
            for name in ("gdap-new", "gdap-approve", "gdap-terminate")
        }
        self.words = {
            "mpn_label": escaped(_("MPN ID")),
            "yes": escaped(_("Yes")),
            "removed_by_reseller": escaped(_("Removed by the reseller")),
            "request_roles": escaped(_("Request granular admin roles")),
            "extends": escaped(_("extends automatically")),
            "ends": escaped(_("ends")),
            "approve": escaped(_("Approve")),
            "terminate": escaped(_("Terminate")),
            "no_gdap": escaped(pgettext("granular admin relationships", "None")),
        }

    # --- pieces -------------------------------------------------------------------------------

    def url(self, name: str, pk) -> str:
        return self.urls[name](pk)

    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = (
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(get_token(self.request))}">'
            )
        return self._csrf

    def date(self, value) -> tuple[str, str]:
        """``value|date:'c'`` and ``value|date:"DATE_FORMAT"`` (in the current time zone)."""
        return self.dates.local(value).isoformat(), escaped(self.dates.write(value))

    def country(self, partner) -> str:
        code = partner.country.code
        return escaped(self.countries.get(code) or partner.country.name)

    def action(self, name: str, pk, css: str, label: str) -> str:
        return ACTION.format(url=self.url(name, pk), csrf=self.csrf(), css=css, label=label)

    # --- the GDAP cell (both sides) -----------------------------------------------------------

    def gdap(self, relationship, side: str) -> SafeString:
        """The relationship's GDAP relationships (``list_selectors.with_granular_admin``), with
        the approval (the reseller's ``side``) and termination forms for a user who may act."""
        items = []
        for gdap in relationship.gdaps:
            days = gdap.duration_days
            ends = ""
            if gdap.ends_at:
                iso, on = self.date(gdap.ends_at)
                ends = f' · {self.words["ends"]} <time datetime="{iso}">{on}</time>'
            actions = ""
            if self.can_act:
                if side == "reseller" and gdap.can_approve:
                    actions += self.action(
                        "gdap-approve", gdap.pk, "button small primary", self.words["approve"]
                    )
                if gdap.can_terminate:
                    actions += self.action("gdap-terminate", gdap.pk, "button small", self.words["terminate"])
                actions = f'<div class="actions">{actions}</div>'
            items.append(
                GDAP_ITEM.format(
                    name=escaped(gdap.name),
                    status=escaped(gdap.status),
                    status_label=self.statuses.get(gdap.status) or escaped(gdap.status),
                    roles=escaped(
                        l10n.format_list(
                            [GDAP_ROLES.get(role, role) for role in gdap.roles], conjunction=False
                        )
                    ),
                    # {% blocktranslate count %}: the words as translated, the number escaped.
                    duration=ngettext("%(days)s day", "%(days)s days", days)
                    % {"days": escaped(formats.localize(days))},
                    auto_extend=f" · {self.words['extends']}" if gdap.auto_extend else "",
                    ends=ends,
                    actions=actions,
                )
            )
        if not items:
            return mark_safe(f'<span class="muted">{self.words["no_gdap"]}</span>')  # noqa: S308 - escaped
        return mark_safe(f'<ul class="gdap">{"".join(items)}</ul>')  # noqa: S308 - every value escaped

    # --- the provider's page: a row a reseller ------------------------------------------------

    def reseller_row(self, relationship) -> str:
        reseller, words = relationship.reseller, self.words
        if relationship.admin_access:
            access = words["yes"]
        else:
            access = words["removed_by_reseller"]
            if relationship.admin_access_removed_at:
                access += (
                    f'<br><small class="muted">{self.date(relationship.admin_access_removed_at)[1]}</small>'
                )
        established_iso, established_on = self.date(relationship.established_at)
        request = ""
        if self.can_act and relationship.is_active:
            request = (
                f'<p><a class="button small" href="{self.url("gdap-new", relationship.pk)}">'
                f"{words['request_roles']}</a></p>"
            )
        return RESELLER_ROW.format(
            name=escaped(reseller.legal_name),
            mpn_label=words["mpn_label"],
            mpn=escaped(reseller.mpn_id),
            country=self.country(reseller),
            state=escaped(relationship.state),
            state_label=self.states.get(relationship.state) or escaped(relationship.state),
            access=access,
            established_iso=established_iso,
            established_on=established_on,
            gdap=self.gdap(relationship, "provider"),
            request=request,
        )


def reseller_rows_html(request, relationships, *, can_act: bool) -> SafeString:
    """The ``<tr>`` of each of a provider's relationships (*Indirect resellers*)."""
    rows = RelationshipRows(request, can_act=can_act)
    return mark_safe("".join(rows.reseller_row(r) for r in relationships))  # noqa: S308 - every value escaped
