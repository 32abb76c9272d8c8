"""A fresh installation ships the current agreement of every program in every language the
portal speaks, so that `migrate` alone lets an approved partner accept its agreement and
become active: no partner stays stuck at `approved` on a database without demo data.
Reversible: going back removes the shipped templates that nobody accepted."""

from django.db import migrations

from . import _agreements_2026_10 as shipped


def ship(apps, schema_editor):
    shipped.ship(apps.get_model("enrollment", "AgreementTemplate"))


def unship(apps, schema_editor):
    shipped.unship(apps.get_model("enrollment", "AgreementTemplate"))


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0008_bank_routing_number_length")]

    operations = [migrations.RunPython(ship, unship)]
