"""The partner's country copied onto each of its enrollments by the database
(``Enrollment.country``; issue 12: one country's review queue joined the partners, so
PostgreSQL walked the queue of every country to find a page of one, about 5,600 rows at
100,000 enrollments). With the copy, one partial index of the enrollments
(``enrollment_country_queue``) holds one country's queue in the queue's order.

A trigger sets the copy on every insert or update of an enrollment from its partner,
whatever the writer sent; another follows a change of the partner's country
(``partnercenter.core.triggers.CopiedColumn``). Migration ``0017_enrollment_country``
installs them and fills in the enrollments already there."""

from partnercenter.core.triggers import CopiedColumn

COUNTRY = CopiedColumn("enrollment_enrollment", "country", "partner_id", "enrollment_partner", "country")
