"""The database connection's settings shared by every environment's ``DATABASES``."""

import environ

env = environ.Env()

# PostgreSQL's planner cost of reading a page out of order. Its default (4) assumes
# spinning disks, and then it prefers reading a whole table to following an index: the
# customers page of a provider read 200,000 customers for 50 (issue 12). 1.1 is the usual
# value for SSD storage; set DATABASE_RANDOM_PAGE_COST to the server's own if it differs.
DATABASE_RANDOM_PAGE_COST = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)


def tuned(config: dict) -> dict:
    """``config`` (one of ``DATABASES``) with the planner's settings on PostgreSQL."""
    if config.get("ENGINE", "").endswith("postgresql"):
        options = config.setdefault("OPTIONS", {})
        planner = f"-c random_page_cost={DATABASE_RANDOM_PAGE_COST}"
        options["options"] = f"{options['options']} {planner}" if options.get("options") else planner
    return config
