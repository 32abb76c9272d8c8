"""Writes for enrollments: one function per state change (HOUSE_STYLE 4), by step.

- ``application``: validate an application, enroll now, resend the link, withdraw;
- ``confirmation``: the primary contact confirms the email (the checks are queued);
- ``checks``: the automated checks and their registry;
- ``deadlines``: the reminder and the expiry, swept by beat;
- ``review``: staff claim, decide checks and the file; the partner answers and appeals;
- ``agreements``: the agreement is accepted, a version made current;
- ``business_profile``: the profile customers are referred on.

Each checks the actor's right, locks the row, re-checks the state after the lock, moves
it along ``models.MOVES``, writes one audit row and queues its email after commit. The
modules are imported by name (this package re-exports nothing), so that ``tasks`` and the
modules that queue tasks never import each other.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403), ``NotFound`` (404),
``InvalidTransition`` (409).
"""
