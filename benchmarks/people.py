"""`python -m benchmarks.people [SUBMITTERS]` (under ``benchmarks.settings``): the bench's
signed-in users, the busy enrollment, and SUBMITTERS fresh applicants, as JSON on stdout
(``world.People``, ``world.submitters``)."""

import json
import sys

import django


def main() -> None:
    django.setup()
    from .world import People, submitters

    people = People()
    data = {key: (str(value) if key == "busy" else value) for key, value in vars(people).items()}
    data["submitters"] = submitters(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    json.dump(data, sys.stdout)


if __name__ == "__main__":
    main()
