"""The audit table's cases of the programs' applications (see ``tests.audit.table``)."""

from enrollment.programs import takes_applications
from enrollment.services import programs
from tests.audit.table import Run, case
from tests.cast import make_reviewer


@case(programs.program_set_applications_open, "close")
def _(w):
    reviewer = make_reviewer()
    if not takes_applications("direct_bill"):
        programs.program_set_applications_open(
            actor=reviewer, program="direct_bill", applications_open=True, reason=""
        )
    return Run(
        kwargs={
            "actor": reviewer,
            "program": "direct_bill",
            "applications_open": False,
            "reason": "No new direct-bill partners this year.",
        },
        kind="program_applications_closed",
        obj=lambda setting: setting,
        tenant=None,
        actor=reviewer,
        from_state="open",
        to_state="closed",
        note="No new direct-bill partners this year.",
        data={"program": "direct_bill"},
    )


@case(programs.program_set_applications_open, "open")
def _(w):
    reviewer = make_reviewer()
    if takes_applications("direct_bill"):
        programs.program_set_applications_open(
            actor=reviewer, program="direct_bill", applications_open=False, reason="Closed first."
        )
    return Run(
        kwargs={"actor": reviewer, "program": "direct_bill", "applications_open": True, "reason": ""},
        kind="program_applications_opened",
        obj=lambda setting: setting,
        tenant=None,
        actor=reviewer,
        from_state="closed",
        to_state="open",
        data={"program": "direct_bill"},
    )
