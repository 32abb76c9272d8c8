"""How many queries a request made and how many rows they returned, in response headers;
with ``X-Bench-Explain: 1`` also how many rows PostgreSQL read for them (``benchmarks.settings``),
for the list as computed (the kept results of ``core.generations`` retired first).

Rows read: each SELECT is run again under EXPLAIN (ANALYZE, FORMAT JSON), and the rows its
scans produced plus those their filters removed are added up, every loop counted. The
explained request is slower (each query runs twice): the bench times other requests.
"""

import json

from django.db import connection

from partnercenter.core import generations

# A bitmap's index entries count too: a bitmap scan reads them all before a single row.
SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Index Scan", "Bitmap Heap Scan", "Tid Scan"}


def rows_read(plan: dict) -> int:
    own = 0
    if plan.get("Node Type") in SCANS:
        own = (
            plan.get("Actual Rows", 0)
            + plan.get("Rows Removed by Filter", 0)
            + plan.get("Rows Removed by Index Recheck", 0)
        ) * plan.get("Actual Loops", 1)
    return own + sum(rows_read(child) for child in plan.get("Plans", []))


class Counter:
    def __init__(self, explain: bool):
        self.explain = explain
        self.queries = 0
        self.rows = 0
        self.read = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        self.queries += 1
        cursor = context["cursor"]
        select = sql.lstrip().lstrip("(").upper().startswith("SELECT")  # a UNION starts with (
        if select and cursor.rowcount and cursor.rowcount > 0:
            self.rows += cursor.rowcount
        if self.explain and select and not many:
            with connection.cursor() as explain:
                explain.cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
                (plan,) = explain.cursor.fetchone()
                plan = plan if isinstance(plan, list) else json.loads(plan)
                self.read += rows_read(plan[0]["Plan"])
        return result


class QueryCounter:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = Counter(explain=request.headers.get("X-Bench-Explain") == "1")
        if counter.explain:  # the list as computed: a kept one (core.generations) reads no table
            generations.retire()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["X-Bench-Queries"] = str(counter.queries)
        response["X-Bench-Rows"] = str(counter.rows)
        if counter.explain:
            response["X-Bench-Rows-Read"] = str(counter.read)
        return response
